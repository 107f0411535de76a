extension AvroSchema {
    /// The primitive type names, which cannot be redefined or used as names of named types.
    static let primitiveNames: Set<String> = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]

    /// Parses schema JSON text (Avro 1.11 "Schema Declaration").
    ///
    /// Checks: the text's size and nesting (``AvroLimits``), the schema's nesting depth and node count, every name
    /// and namespace against `[A-Za-z_][A-Za-z0-9_]*` (dot-separated), that no full name is defined twice and every
    /// reference names a type defined before it, unions (no union directly in a union, no two branches of the same
    /// type or full name), unique field names and enum symbols, enum defaults, fixed sizes, and that every field
    /// default is valid for the field's type. Errors are ``AvroError``s whose location is the JSON path of the
    /// problem, e.g. `$.fields[5].type.items`; `source` becomes the error's file.
    public static func parse(_ text: String, limits: AvroLimits = .default, source: String = "schema") throws(AvroError) -> AvroSchema {
        try parse(json: AvroJSON.parse(text, limits: limits, source: source), limits: limits, source: source)
    }

    /// Parses schema JSON given as UTF-8 bytes (for example the `avro.schema` header entry).
    public static func parse(bytes: some Collection<UInt8>, limits: AvroLimits = .default, source: String = "schema") throws(AvroError) -> AvroSchema {
        try parse(json: AvroJSON.parse(bytes, limits: limits, source: source), limits: limits, source: source)
    }

    /// Parses a schema from an already parsed JSON value (see ``parse(_:limits:source:)``).
    public static func parse(json: AvroJSON, limits: AvroLimits = .default, source: String = "schema") throws(AvroError) -> AvroSchema {
        var parser = AvroSchemaParser(limits: limits, source: source)
        let schema = try parser.parse(json, namespace: "", path: "$", depth: 0)
        try AvroDefaults.checkAll(schema, names: parser.names, source: source)
        return schema
    }

    /// True when `text` is a valid Avro simple name: `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isValidName(_ text: some StringProtocol) -> Bool {
        guard let first = text.utf8.first else { return false }
        func letter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f }
        guard letter(first) else { return false }
        return text.utf8.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// True when `text` is a valid full name: valid simple names joined by dots.
    public static func isValidFullName(_ text: some StringProtocol) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isValidName($0) }
    }
}

/// JSON → ``AvroSchema``, keeping the table of named types defined so far.
struct AvroSchemaParser {
    let limits: AvroLimits
    let source: String
    /// Full name → definition, in order of definition.
    var names: [String: AvroSchema] = [:]
    var nodes = 0

    init(limits: AvroLimits, source: String) {
        self.limits = limits
        self.source = source
    }

    func fail(_ path: String, _ message: String) -> AvroError {
        AvroError(file: source, location: path, message)
    }

    mutating func countNode(_ path: String) throws(AvroError) {
        nodes += 1
        guard nodes <= limits.schemaNodesMax else { throw fail(path, "more than \(limits.schemaNodesMax) types, fields and symbols") }
    }

    mutating func parse(_ json: AvroJSON, namespace: String, path: String, depth: Int) throws(AvroError) -> AvroSchema {
        guard depth <= limits.schemaDepthMax else { throw fail(path, "types nest deeper than \(limits.schemaDepthMax) levels") }
        try countNode(path)
        switch json {
        case .string(let name):
            return try named(name, namespace: namespace, path: path)
        case .array(let branches):
            return try union(branches, namespace: namespace, path: path, depth: depth)
        case .object(let object):
            return try complex(object, namespace: namespace, path: path, depth: depth)
        default:
            throw fail(path, "a schema must be a string, an object or an array, not \(json.kindName)")
        }
    }

    /// A primitive type name or a reference to a defined named type.
    func named(_ name: String, namespace: String, path: String) throws(AvroError) -> AvroSchema {
        if let primitive = Self.primitive(name) { return AvroSchema(primitive) }
        guard AvroSchema.isValidFullName(name) else { throw fail(path, "'\(name)' is not a valid type name") }
        let full = AvroName(name: name, namespace: namespace).fullName
        if names[full] != nil { return .reference(full) }
        // Like Avro's Java parser, fall back to the null namespace for a simple name.
        if !name.contains("."), names[name] != nil { return .reference(name) }
        throw fail(path, "unknown type '\(name)' (named types must be defined before they are used)")
    }

    static func primitive(_ name: String) -> AvroSchema.Kind? {
        switch name {
        case "null": return .null
        case "boolean": return .boolean
        case "int": return .int
        case "long": return .long
        case "float": return .float
        case "double": return .double
        case "bytes": return .bytes
        case "string": return .string
        default: return nil
        }
    }

    mutating func union(_ branches: [AvroJSON], namespace: String, path: String, depth: Int) throws(AvroError) -> AvroSchema {
        var parsed: [AvroSchema] = []
        var seen = Set<String>()
        for (index, branch) in branches.enumerated() {
            let branchPath = "\(path)[\(index)]"
            let schema = try parse(branch, namespace: namespace, path: branchPath, depth: depth + 1)
            if case .union = schema.kind { throw fail(branchPath, "a union may not contain another union directly") }
            let key = schema.fullName ?? schema.typeName
            guard seen.insert(key).inserted else { throw fail(branchPath, "the union has two branches of type '\(key)'") }
            parsed.append(schema)
        }
        return .union(parsed)
    }

    mutating func complex(_ object: [String: AvroJSON], namespace: String, path: String, depth: Int) throws(AvroError) -> AvroSchema {
        guard let typeJSON = object["type"] else { throw fail(path, "the object has no \"type\"") }
        let type: String
        switch typeJSON {
        case .string(let t): type = t
        case .object, .array:
            // {"type": {...}} or {"type": [...]}: the inner schema.
            return try parse(typeJSON, namespace: namespace, path: path + ".type", depth: depth + 1)
        default:
            throw fail(path + ".type", "\"type\" must be a string, an object or an array, not \(typeJSON.kindName)")
        }
        switch type {
        case "record", "error":
            return try record(object, isError: type == "error", namespace: namespace, path: path, depth: depth)
        case "enum":
            return try enumeration(object, namespace: namespace, path: path)
        case "fixed":
            return try fixed(object, namespace: namespace, path: path)
        case "array":
            guard let items = object["items"] else { throw fail(path, "an array has no \"items\"") }
            let schema = AvroSchema(.array(items: try parse(items, namespace: namespace, path: path + ".items", depth: depth + 1)))
            return withLogicalType(schema, object, path: path)
        case "map":
            guard let values = object["values"] else { throw fail(path, "a map has no \"values\"") }
            let schema = AvroSchema(.map(values: try parse(values, namespace: namespace, path: path + ".values", depth: depth + 1)))
            return withLogicalType(schema, object, path: path)
        default:
            if let primitive = Self.primitive(type) {
                return withLogicalType(AvroSchema(primitive), object, path: path)
            }
            // {"type": "SomeName"}: a reference.
            return try named(type, namespace: namespace, path: path + ".type")
        }
    }

    // MARK: named types

    /// Reads `name` and `namespace`, checks them, and returns the full name.
    func definitionName(_ object: [String: AvroJSON], namespace: String, path: String) throws(AvroError) -> AvroName {
        guard case .string(let name)? = object["name"] else { throw fail(path, "a named type needs a string \"name\"") }
        guard AvroSchema.isValidFullName(name) else { throw fail(path + ".name", "'\(name)' is not a valid name") }
        var space = namespace
        switch object["namespace"] {
        case nil, .null?: break
        case .string(let s)?:
            guard s.isEmpty || AvroSchema.isValidFullName(s) else { throw fail(path + ".namespace", "'\(s)' is not a valid namespace") }
            space = s
        default: throw fail(path + ".namespace", "\"namespace\" must be a string")
        }
        let full = AvroName(name: name, namespace: space)
        guard !AvroSchema.primitiveNames.contains(full.name) else {
            throw fail(path + ".name", "'\(full.name)' is a primitive type and cannot name a type")
        }
        guard names[full.fullName] == nil else { throw fail(path + ".name", "'\(full.fullName)' is defined twice") }
        return full
    }

    func strings(_ json: AvroJSON?, _ what: String, path: String) throws(AvroError) -> [String] {
        guard let json else { return [] }
        guard case .array(let items) = json else { throw fail(path, "\(what) must be an array of strings") }
        var out: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let s) = item else { throw fail("\(path)[\(index)]", "\(what) must be an array of strings") }
            out.append(s)
        }
        return out
    }

    func aliases(_ object: [String: AvroJSON], path: String) throws(AvroError) -> [String] {
        let list = try strings(object["aliases"], "\"aliases\"", path: path + ".aliases")
        for (index, alias) in list.enumerated() where !AvroSchema.isValidFullName(alias) {
            throw fail("\(path).aliases[\(index)]", "'\(alias)' is not a valid alias")
        }
        return list
    }

    func doc(_ object: [String: AvroJSON], path: String) throws(AvroError) -> String? {
        switch object["doc"] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw fail(path + ".doc", "\"doc\" must be a string")
        }
    }

    mutating func record(_ object: [String: AvroJSON], isError: Bool, namespace: String, path: String, depth: Int) throws(AvroError) -> AvroSchema {
        let name = try definitionName(object, namespace: namespace, path: path)
        let recordAliases = try aliases(object, path: path)
        let recordDoc = try doc(object, path: path)
        guard case .array(let fieldsJSON)? = object["fields"] else { throw fail(path, "a record needs a \"fields\" array") }
        // Defined before its fields, so fields can refer to it (recursive types).
        names[name.fullName] = .record(AvroRecordSchema(name: name, fields: [], aliases: recordAliases, doc: recordDoc, isError: isError))
        var fields: [AvroField] = []
        var fieldNames = Set<String>()
        for (index, fieldJSON) in fieldsJSON.enumerated() {
            let fieldPath = "\(path).fields[\(index)]"
            try countNode(fieldPath)
            guard case .object(let field) = fieldJSON else { throw fail(fieldPath, "a field must be an object") }
            guard case .string(let fieldName)? = field["name"] else { throw fail(fieldPath, "a field needs a string \"name\"") }
            guard AvroSchema.isValidName(fieldName) else { throw fail(fieldPath + ".name", "'\(fieldName)' is not a valid field name") }
            guard fieldNames.insert(fieldName).inserted else { throw fail(fieldPath + ".name", "field '\(fieldName)' appears twice") }
            guard let typeJSON = field["type"] else { throw fail(fieldPath, "field '\(fieldName)' has no \"type\"") }
            let type = try parse(typeJSON, namespace: name.namespace, path: fieldPath + ".type", depth: depth + 1)
            var order: AvroField.Order? = nil
            switch field["order"] {
            case nil: break
            case .string(let o)?:
                guard let parsed = AvroField.Order(rawValue: o) else { throw fail(fieldPath + ".order", "order '\(o)' is not ascending, descending or ignore") }
                order = parsed
            default: throw fail(fieldPath + ".order", "\"order\" must be a string")
            }
            let fieldAliases = try strings(field["aliases"], "\"aliases\"", path: fieldPath + ".aliases")
            for (aliasIndex, alias) in fieldAliases.enumerated() where !AvroSchema.isValidName(alias) {
                throw fail("\(fieldPath).aliases[\(aliasIndex)]", "'\(alias)' is not a valid field alias")
            }
            fields.append(AvroField(name: fieldName, type: type, defaultValue: field["default"], aliases: fieldAliases,
                                    doc: try doc(field, path: fieldPath), order: order))
        }
        let schema = AvroSchema.record(AvroRecordSchema(name: name, fields: fields, aliases: recordAliases, doc: recordDoc, isError: isError))
        names[name.fullName] = schema
        return schema
    }

    mutating func enumeration(_ object: [String: AvroJSON], namespace: String, path: String) throws(AvroError) -> AvroSchema {
        let name = try definitionName(object, namespace: namespace, path: path)
        guard let symbolsJSON = object["symbols"] else { throw fail(path, "an enum needs a \"symbols\" array") }
        let symbols = try strings(symbolsJSON, "\"symbols\"", path: path + ".symbols")
        var seen = Set<String>()
        for (index, symbol) in symbols.enumerated() {
            try countNode("\(path).symbols[\(index)]")
            guard AvroSchema.isValidName(symbol) else { throw fail("\(path).symbols[\(index)]", "'\(symbol)' is not a valid symbol") }
            guard seen.insert(symbol).inserted else { throw fail("\(path).symbols[\(index)]", "symbol '\(symbol)' appears twice") }
        }
        var defaultSymbol: String? = nil
        switch object["default"] {
        case nil: break
        case .string(let s)?:
            guard seen.contains(s) else { throw fail(path + ".default", "default '\(s)' is not one of the symbols") }
            defaultSymbol = s
        default: throw fail(path + ".default", "an enum default must be a symbol")
        }
        let schema = AvroSchema.enumeration(AvroEnumSchema(name: name, symbols: symbols, aliases: try aliases(object, path: path),
                                                           doc: try doc(object, path: path), defaultSymbol: defaultSymbol))
        names[name.fullName] = schema
        return schema
    }

    mutating func fixed(_ object: [String: AvroJSON], namespace: String, path: String) throws(AvroError) -> AvroSchema {
        let name = try definitionName(object, namespace: namespace, path: path)
        guard case .integer(let size)? = object["size"], size >= 0, size <= Int64(Int32.max) else {
            throw fail(path, "a fixed type needs a \"size\" from 0 to \(Int32.max)")
        }
        let definition = AvroFixedSchema(name: name, size: Int(size), aliases: try aliases(object, path: path), doc: try doc(object, path: path))
        let schema = withLogicalType(AvroSchema.fixed(definition), object, path: path)
        names[name.fullName] = schema
        return schema
    }

    // MARK: logical types

    /// `schema` with the object's `logicalType`, when it is valid for the base type (ignored otherwise, as the
    /// specification asks; unknown names are kept as ``AvroLogicalType/other(_:)``).
    func withLogicalType(_ schema: AvroSchema, _ object: [String: AvroJSON], path: String) -> AvroSchema {
        guard case .string(let name)? = object["logicalType"] else { return schema }
        var out = schema
        out.logicalType = Self.logicalType(name, object, base: schema.kind)
        return out
    }

    static func logicalType(_ name: String, _ object: [String: AvroJSON], base: AvroSchema.Kind) -> AvroLogicalType? {
        func on(_ ok: Bool, _ type: AvroLogicalType) -> AvroLogicalType? { ok ? type : nil }
        let isInt = base == .int, isLong = base == .long
        switch name {
        case "decimal":
            guard case .integer(let precision)? = object["precision"], precision > 0 else { return nil }
            var scale: Int64 = 0
            if let s = object["scale"] {
                guard case .integer(let value) = s else { return nil }
                scale = value
            }
            guard scale >= 0, scale <= precision else { return nil }
            switch base {
            case .bytes:
                guard precision <= Int64(Int32.max) else { return nil }
            case .fixed(let f):
                guard precision <= Int64(AvroDecimal.maxPrecision(fixedSize: f.size)) else { return nil }
            default:
                return nil
            }
            return .decimal(precision: Int(precision), scale: Int(scale))
        case "date": return on(isInt, .date)
        case "time-millis": return on(isInt, .timeMillis)
        case "time-micros": return on(isLong, .timeMicros)
        case "timestamp-millis": return on(isLong, .timestampMillis)
        case "timestamp-micros": return on(isLong, .timestampMicros)
        case "timestamp-nanos": return on(isLong, .timestampNanos)
        case "local-timestamp-millis": return on(isLong, .localTimestampMillis)
        case "local-timestamp-micros": return on(isLong, .localTimestampMicros)
        case "local-timestamp-nanos": return on(isLong, .localTimestampNanos)
        case "uuid":
            if base == .string { return .uuid }
            if case .fixed(let f) = base, f.size == 16 { return .uuid }
            return nil
        case "duration":
            if case .fixed(let f) = base, f.size == 12 { return .duration }
            return nil
        default:
            return .other(name)
        }
    }
}

/// Decimal helpers shared by the schema parser and the codecs.
enum AvroDecimal {
    /// The largest precision a fixed of `size` bytes holds: ⌊log10(2^(8·size − 1) − 1)⌋.
    static func maxPrecision(fixedSize size: Int) -> Int {
        guard size > 0 else { return 0 }
        // log10(2) ≈ 0.30103; exact enough for the floor except at sizes where 2^(8n-1)-1 is near a power of ten,
        // which never happens (powers of two are never powers of ten).
        let bits = Double(8 * size - 1)
        return Int((bits * 0.301_029_995_663_981_2).rounded(.down))
    }
}
