/// The named types (records, enums, fixed) of one schema by full name, so ``AvroSchema/Kind/reference(_:)``s can be
/// followed. Built by walking the schema; a schema that defines a full name twice or refers to one it never
/// defines is refused.
struct AvroNamedTypes: Sendable {
    private(set) var definitions: [String: AvroSchema] = [:]

    init() {}

    init(_ schema: AvroSchema, source: String = "schema") throws(AvroError) {
        var references: [(String, String)] = []
        try collect(schema, path: "$", references: &references, source: source)
        for (name, path) in references where definitions[name] == nil {
            throw AvroError(file: source, location: path, "reference to undefined type '\(name)'")
        }
    }

    private mutating func collect(_ schema: AvroSchema, path: String, references: inout [(String, String)], source: String) throws(AvroError) {
        switch schema.kind {
        case .record(let r):
            try define(r.name.fullName, schema, path: path, source: source)
            for (index, field) in r.fields.enumerated() {
                try collect(field.type, path: "\(path).fields[\(index)].type", references: &references, source: source)
            }
        case .enumeration(let e):
            try define(e.name.fullName, schema, path: path, source: source)
        case .fixed(let f):
            try define(f.name.fullName, schema, path: path, source: source)
        case .array(let items):
            try collect(items, path: path + ".items", references: &references, source: source)
        case .map(let values):
            try collect(values, path: path + ".values", references: &references, source: source)
        case .union(let branches):
            for (index, branch) in branches.enumerated() {
                try collect(branch, path: "\(path)[\(index)]", references: &references, source: source)
            }
        case .reference(let name):
            references.append((name, path))
        default:
            break
        }
    }

    private mutating func define(_ name: String, _ schema: AvroSchema, path: String, source: String) throws(AvroError) {
        guard definitions[name] == nil else { throw AvroError(file: source, location: path, "'\(name)' is defined twice") }
        definitions[name] = schema
    }

    /// `schema` itself, or the definition a reference names (references are checked at construction).
    func resolve(_ schema: AvroSchema) -> AvroSchema {
        if case .reference(let name) = schema.kind, let definition = definitions[name] { return definition }
        return schema
    }

    /// Adds the definitions of a schema being parsed (the parser keeps its own table).
    init(definitions: [String: AvroSchema]) {
        self.definitions = definitions
    }
}
