/// One partitioning transform (Gravitino's `Partitioning` DTOs), kept as its JSON object with the strategy
/// normalised to lower case. Strategies: identity, year, month, day, hour, bucket, truncate, list, range,
/// function (spec/gravitino-api.md section 5, "Partitioning").
public struct Partitioning: Sendable, Hashable, Codable {
    public static let strategies: Set<String> = ["identity", "year", "month", "day", "hour", "bucket", "truncate", "list", "range", "function"]

    public private(set) var json: JSONValue

    public var strategy: String { json["strategy"]?.stringValue ?? "" }

    /// Wraps and checks a transform object.
    public init(json: JSONValue) throws {
        guard var members = json.objectValue, let strategy = members["strategy"]?.stringValue else {
            throw CatalogError(.illegalArgument, .table, "a partitioning entry must be an object with a string 'strategy'")
        }
        members["strategy"] = .string(strategy.lowercased())
        self.json = .object(members)
        try validate()
    }

    public init(from decoder: any Decoder) throws {
        do {
            try self.init(json: try JSONValue(from: decoder))
        } catch let error as CatalogError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }

    /// Checks the members each strategy needs.
    public func validate() throws {
        let where_ = "partitioning '\(strategy)'"
        guard Self.strategies.contains(strategy) else {
            throw CatalogError(.illegalArgument, .table, "unknown partitioning strategy '\(strategy)' (expected one of \(Self.strategies.sorted().joined(separator: ", ")))")
        }
        switch strategy {
        case "identity", "year", "month", "day", "hour", "range":
            try FieldNames.validatePath(json["fieldName"], at: "fieldName of \(where_)")
        case "bucket":
            guard let n = json["numBuckets"]?.intValue, n > 0, n <= 1 << 20 else {
                throw CatalogError(.illegalArgument, .table, "numBuckets of \(where_) must be an integer in 1...\(1 << 20)")
            }
            try FieldNames.validatePaths(json["fieldNames"], at: "fieldNames of \(where_)")
        case "truncate":
            guard let w = json["width"]?.intValue, w > 0 else {
                throw CatalogError(.illegalArgument, .table, "width of \(where_) must be a positive integer")
            }
            try FieldNames.validatePath(json["fieldName"], at: "fieldName of \(where_)")
        case "list":
            try FieldNames.validatePaths(json["fieldNames"], at: "fieldNames of \(where_)")
        default:  // function
            guard let name = json["funcName"]?.stringValue, !name.isEmpty else {
                throw CatalogError(.illegalArgument, .table, "funcName of \(where_) must be a non-empty string")
            }
            for arg in json["funcArgs"]?.arrayValue ?? [] { try ExpressionJSON.validate(arg, at: "funcArgs of \(where_)") }
        }
    }
}

/// How rows are spread over buckets (Gravitino's `DistributionDTO`).
public struct Distribution: Sendable, Hashable, Codable {
    public enum Strategy: String, Sendable, Hashable, Codable, CaseIterable { case none, hash, range, even }

    public var strategy: Strategy
    /// The number of buckets; 0 for none, -1 for "decided by the engine".
    public var number: Int
    public var funcArgs: [JSONValue]

    public static let none = Distribution(strategy: .none, number: 0, funcArgs: [])
    public static let numberMax = 1 << 20

    public init(strategy: Strategy, number: Int, funcArgs: [JSONValue]) {
        self.strategy = strategy
        self.number = number
        self.funcArgs = funcArgs
    }

    enum CodingKeys: String, CodingKey { case strategy, number, funcArgs }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decodeIfPresent(String.self, forKey: .strategy) ?? "none"
        guard let strategy = Strategy(rawValue: text.lowercased()) else {
            throw DecodingError.dataCorruptedError(forKey: .strategy, in: c, debugDescription: "unknown distribution strategy '\(text)' (expected none, hash, range or even)")
        }
        self.strategy = strategy
        number = try c.decodeIfPresent(Int.self, forKey: .number) ?? 0
        funcArgs = try c.decodeIfPresent([JSONValue].self, forKey: .funcArgs) ?? []
    }

    public func validate() throws {
        guard (-1...Self.numberMax).contains(number) else {
            throw CatalogError(.illegalArgument, .table, "distribution number \(number) is outside -1...\(Self.numberMax)")
        }
        for arg in funcArgs { try ExpressionJSON.validate(arg, at: "distribution funcArgs") }
    }
}

/// One sort key of a table (Gravitino's `SortOrderDTO`).
public struct SortOrder: Sendable, Hashable, Codable {
    public enum Direction: String, Sendable, Hashable, Codable { case asc, desc }
    public enum NullOrdering: String, Sendable, Hashable, Codable { case nullsFirst = "nulls_first", nullsLast = "nulls_last" }

    public var sortTerm: JSONValue
    public var direction: Direction
    public var nullOrdering: NullOrdering

    public init(sortTerm: JSONValue, direction: Direction, nullOrdering: NullOrdering) {
        self.sortTerm = sortTerm
        self.direction = direction
        self.nullOrdering = nullOrdering
    }

    enum CodingKeys: String, CodingKey { case sortTerm, direction, nullOrdering }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sortTerm = try c.decode(JSONValue.self, forKey: .sortTerm)
        let direction = try c.decodeIfPresent(String.self, forKey: .direction) ?? "asc"
        guard let d = Direction(rawValue: direction.lowercased()) else {
            throw DecodingError.dataCorruptedError(forKey: .direction, in: c, debugDescription: "unknown sort direction '\(direction)' (expected asc or desc)")
        }
        self.direction = d
        if let ordering = try c.decodeIfPresent(String.self, forKey: .nullOrdering) {
            guard let o = NullOrdering(rawValue: ordering.lowercased()) else {
                throw DecodingError.dataCorruptedError(forKey: .nullOrdering, in: c, debugDescription: "unknown null ordering '\(ordering)' (expected nulls_first or nulls_last)")
            }
            nullOrdering = o
        } else {
            nullOrdering = d == .asc ? .nullsFirst : .nullsLast
        }
    }
}

/// A primary or unique key of a table (Gravitino's `IndexDTO`).
public struct TableIndex: Sendable, Hashable, Codable {
    public enum IndexType: String, Sendable, Hashable, Codable { case primaryKey = "PRIMARY_KEY", uniqueKey = "UNIQUE_KEY" }

    public var indexType: IndexType
    public var name: String?
    public var fieldNames: [[String]]

    public init(indexType: IndexType, name: String?, fieldNames: [[String]]) {
        self.indexType = indexType
        self.name = name
        self.fieldNames = fieldNames
    }

    enum CodingKeys: String, CodingKey { case indexType, name, fieldNames }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .indexType)
        guard let type = IndexType(rawValue: text.uppercased()) else {
            throw DecodingError.dataCorruptedError(forKey: .indexType, in: c, debugDescription: "unknown index type '\(text)' (expected PRIMARY_KEY or UNIQUE_KEY)")
        }
        indexType = type
        name = try c.decodeIfPresent(String.self, forKey: .name)
        fieldNames = try c.decode([[String]].self, forKey: .fieldNames)
    }

    public func validate() throws {
        if let name { try Names.validate(name, what: "index name") }
        guard !fieldNames.isEmpty else { throw CatalogError(.illegalArgument, .table, "an index needs at least one field") }
        for path in fieldNames {
            guard !path.isEmpty else { throw CatalogError(.illegalArgument, .table, "an index field name is empty") }
            for part in path { try Names.validate(part, what: "index field name") }
        }
    }
}

/// Checks of field-name paths (`["col"]`, `["struct", "member"]`) inside transforms.
enum FieldNames {
    static func validatePath(_ value: JSONValue?, at place: String) throws {
        guard let parts = value?.arrayValue, !parts.isEmpty else {
            throw CatalogError(.illegalArgument, .table, "\(place) must be a non-empty array of names")
        }
        for part in parts {
            guard let name = part.stringValue else { throw CatalogError(.illegalArgument, .table, "\(place) holds a non-string") }
            try Names.validate(name, what: place)
        }
    }

    static func validatePaths(_ value: JSONValue?, at place: String) throws {
        guard let paths = value?.arrayValue, !paths.isEmpty else {
            throw CatalogError(.illegalArgument, .table, "\(place) must be a non-empty array of name arrays")
        }
        for path in paths { try validatePath(path, at: place) }
    }
}
