/// A column of a table (Gravitino's `ColumnDTO`). `type` and `defaultValue` keep Gravitino's JSON forms
/// (spec/gravitino-api.md section 5, "Type grammar" and "Expression"), validated by ``DataTypeJSON`` and
/// ``ExpressionJSON``.
public struct Column: Sendable, Hashable, Codable {
    public var name: String
    public var type: JSONValue
    public var comment: String?
    public var nullable: Bool
    public var autoIncrement: Bool
    public var defaultValue: JSONValue?

    public init(name: String, type: JSONValue, comment: String? = nil, nullable: Bool = true, autoIncrement: Bool = false, defaultValue: JSONValue? = nil) {
        self.name = name
        self.type = type
        self.comment = comment
        self.nullable = nullable
        self.autoIncrement = autoIncrement
        self.defaultValue = defaultValue
    }

    enum CodingKeys: String, CodingKey { case name, type, comment, nullable, autoIncrement, defaultValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(JSONValue.self, forKey: .type)
        comment = try c.decodeIfPresent(String.self, forKey: .comment)
        nullable = try c.decodeIfPresent(Bool.self, forKey: .nullable) ?? true
        autoIncrement = try c.decodeIfPresent(Bool.self, forKey: .autoIncrement) ?? false
        let value = try c.decodeIfPresent(JSONValue.self, forKey: .defaultValue)
        defaultValue = value == .null ? nil : value
    }

    /// Checks the name, type and default value.
    public func validate() throws {
        try Names.validate(name, what: "column name")
        try Names.validate(comment: comment, of: "column \(name)")
        try DataTypeJSON.validate(type, at: "type of column \(name)")
        if let defaultValue { try ExpressionJSON.validate(defaultValue, at: "default value of column \(name)") }
    }
}

/// A table of a relational catalog, as Gravitino describes it (`TableDTO`): columns, partitioning,
/// distribution, sort orders, indexes and properties.
public struct Table: Sendable, Hashable {
    public var name: String
    public var comment: String?
    public var columns: [Column]
    public var properties: [String: String]
    public var partitioning: [Partitioning]
    public var distribution: Distribution
    public var sortOrders: [SortOrder]
    public var indexes: [TableIndex]
    public var audit: AuditInfo

    public init(name: String, comment: String?, columns: [Column], properties: [String: String], partitioning: [Partitioning] = [],
                distribution: Distribution = .none, sortOrders: [SortOrder] = [], indexes: [TableIndex] = [], audit: AuditInfo) {
        self.name = name
        self.comment = comment
        self.columns = columns
        self.properties = properties
        self.partitioning = partitioning
        self.distribution = distribution
        self.sortOrders = sortOrders
        self.indexes = indexes
        self.audit = audit
    }

    /// The most columns a table may have.
    public static let columnsCountMax = 4096

    /// Checks every part: names, types, unique column names, and that partitioning, indexes and sort orders
    /// are well-formed.
    public func validate() throws {
        try Names.validate(name, what: "table name")
        try Names.validate(comment: comment, of: "table \(name)")
        try Names.validate(properties: properties, of: "table \(name)")
        guard columns.count <= Self.columnsCountMax else {
            throw CatalogError(.illegalArgument, .table, "table \(name) has \(columns.count) columns, more than \(Self.columnsCountMax)")
        }
        var seen = Set<String>()
        for column in columns {
            try column.validate()
            guard seen.insert(column.name.lowercased()).inserted else {
                throw CatalogError(.illegalArgument, .table, "table \(name) has the column \(column.name) twice")
            }
        }
        for part in partitioning { try part.validate() }
        try distribution.validate()
        for order in sortOrders { try ExpressionJSON.validate(order.sortTerm, at: "sort term of table \(name)") }
        for index in indexes { try index.validate() }
    }
}
