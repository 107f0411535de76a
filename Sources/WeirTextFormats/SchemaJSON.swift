import WeirCodecs
import WeirColumnar

/// A table schema as people write it for `--schema FILE.json`: Paimon's schema-file shape
/// (spec/paimon-format.md section 2), where only `fields` is required and field ids may be left out.
///
/// ```json
/// {"fields": [{"name": "id", "type": "BIGINT NOT NULL"},
///             {"name": "tags", "type": {"type": "ARRAY", "element": "STRING"}},
///             {"name": "attrs", "type": {"type": "MAP", "key": "STRING NOT NULL", "value": "INT"}},
///             {"name": "address", "type": {"type": "ROW", "fields": [{"name": "city", "type": "STRING"}]}}],
///  "primaryKeys": ["id"], "partitionKeys": [], "options": {"bucket": "4"}}
/// ```
///
/// Field ids, when absent, are assigned from 0 in declaration order, nested ROW fields included (as Paimon
/// does). Given ids must be unique. Limit: 1 MiB of JSON.
public struct SchemaDocument: Sendable, Equatable {
    public var rowType: RowType
    public var primaryKeys: [String]
    public var partitionKeys: [String]
    public var options: [String: String]
    public var comment: String?
    /// The largest field id used, nested fields included.
    public var highestFieldId: Int

    public static let bytesMax = 1 << 20

    public init(parsing bytes: [UInt8]) throws(ColumnarError) {
        guard bytes.count <= Self.bytesMax else { throw ColumnarError("the schema is larger than \(Self.bytesMax) bytes") }
        let node: JSONNode
        do { node = try JSONNode.parse(String(decoding: bytes, as: UTF8.self)[...]) } catch { throw ColumnarError(error.message) }
        guard case .object(let members) = node else { throw ColumnarError("the schema must be a JSON object") }
        func member(_ name: String) -> JSONNode? { members.first { $0.key == name }?.value }
        guard case .array(let fieldNodes)? = member("fields"), !fieldNodes.isEmpty else {
            throw ColumnarError("the schema needs a non-empty \"fields\" array")
        }
        var assigner = IdAssigner()
        let fields = try assigner.fields(fieldNodes, path: "fields")
        rowType = RowType(fields)
        try rowType.validate()
        highestFieldId = assigner.highest
        primaryKeys = try Self.names(member("primaryKeys"), key: "primaryKeys")
        partitionKeys = try Self.names(member("partitionKeys"), key: "partitionKeys")
        for key in primaryKeys + partitionKeys where rowType.index(of: key) == nil {
            throw ColumnarError("'\(key)' in primaryKeys or partitionKeys is not a field")
        }
        options = [:]
        if let optionsNode = member("options") {
            guard case .object(let entries) = optionsNode else { throw ColumnarError("\"options\" must be an object of strings") }
            for entry in entries {
                switch entry.value {
                case .string(let s): options[entry.key] = s
                case .number(let n): options[entry.key] = String(n)
                case .bool(let b): options[entry.key] = String(b)
                default: throw ColumnarError("option '\(entry.key)' must be a string")
                }
            }
        }
        if case .string(let c)? = member("comment") { comment = c } else { comment = nil }
        // Primary-key columns are NOT NULL (Paimon's Schema#normalizeFields).
        for key in primaryKeys {
            let index = rowType.index(of: key)!
            rowType.fields[index].type.isNullable = false
        }
    }

    static func names(_ node: JSONNode?, key: String) throws(ColumnarError) -> [String] {
        guard let node else { return [] }
        guard case .array(let items) = node else { throw ColumnarError("\"\(key)\" must be an array of names") }
        var names: [String] = []
        for item in items {
            guard case .string(let name) = item else { throw ColumnarError("\"\(key)\" must be an array of names") }
            guard !names.contains(name) else { throw ColumnarError("'\(name)' appears twice in \"\(key)\"") }
            names.append(name)
        }
        return names
    }

    /// Reads fields and types, assigning ids where they are missing.
    struct IdAssigner {
        var next = 0
        var highest = -1
        var used = Set<Int>()

        mutating func fields(_ nodes: [JSONNode], path: String) throws(ColumnarError) -> [DataField] {
            var fields: [DataField] = []
            for (index, node) in nodes.enumerated() {
                let here = "\(path)[\(index)]"
                guard case .object(let members) = node else { throw ColumnarError("\(here): a field must be an object") }
                func member(_ name: String) -> JSONNode? { members.first { $0.key == name }?.value }
                guard case .string(let name)? = member("name"), !name.isEmpty else { throw ColumnarError("\(here): a field needs a \"name\"") }
                guard !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                    throw ColumnarError("\(here): the name holds a control character")
                }
                let id: Int
                if case .number(let text)? = member("id") {
                    guard let given = Int(text), given >= 0 else { throw ColumnarError("\(here): \"id\" must be a non-negative integer") }
                    id = given
                } else {
                    while used.contains(next) { next += 1 }
                    id = next
                }
                guard used.insert(id).inserted else { throw ColumnarError("\(here): field id \(id) is used twice") }
                next = max(next, id + 1)
                highest = max(highest, id)
                guard let typeNode = member("type") else { throw ColumnarError("\(here) (\(name)): a field needs a \"type\"") }
                let type = try self.type(typeNode, path: "\(here) (\(name))")
                var description: String? = nil
                if case .string(let d)? = member("description") { description = d }
                fields.append(DataField(id: id, name: name, type: type, description: description))
            }
            return fields
        }

        mutating func type(_ node: JSONNode, path: String) throws(ColumnarError) -> DataType {
            switch node {
            case .string(let text):
                do { return try DataType(parsing: text) } catch { throw ColumnarError("\(path): \(error.description)") }
            case .object(let members):
                func member(_ name: String) -> JSONNode? { members.first { $0.key == name }?.value }
                guard case .string(let head)? = member("type") else { throw ColumnarError("\(path): a composite type needs \"type\"") }
                let upper = head.uppercased()
                let nullable = !upper.contains("NOT NULL")
                func child(_ key: String) throws(ColumnarError) -> DataType {
                    guard let n = member(key) else { throw ColumnarError("\(path): \(head) needs \"\(key)\"") }
                    return try type(n, path: path + "." + key)
                }
                if upper.hasPrefix("ARRAY") { return DataType(.array(element: try child("element")), nullable: nullable) }
                if upper.hasPrefix("MULTISET") { return DataType(.multiset(element: try child("element")), nullable: nullable) }
                if upper.hasPrefix("MAP") { return DataType(.map(key: try child("key"), value: try child("value")), nullable: nullable) }
                if upper.hasPrefix("ROW") {
                    guard case .array(let nested)? = member("fields"), !nested.isEmpty else {
                        throw ColumnarError("\(path): ROW needs a non-empty \"fields\" array")
                    }
                    return DataType(.row(fields: try fields(nested, path: path + ".fields")), nullable: nullable)
                }
                throw ColumnarError("\(path): unknown composite type '\(head)'")
            default:
                throw ColumnarError("\(path): a type is a string or an object")
            }
        }
    }
}
