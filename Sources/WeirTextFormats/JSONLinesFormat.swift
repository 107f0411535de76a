import WeirCodecs
import WeirColumnar

extension JSONNode {
    /// This JSON value as a value of `type`, accepting ``ValueJSON``'s encoding and the natural alternatives
    /// (a JSON number for a DECIMAL, an object for a MAP with string keys).
    public func value(as type: DataType) throws(ColumnarError) -> Value {
        func bad() -> ColumnarError {
            let shown: String
            switch self {
            case .string(let s): shown = "\"\(s.prefix(100))\""
            case .number(let n): shown = String(n)
            case .bool(let b): shown = String(b)
            case .array: shown = "an array"
            case .object: shown = "an object"
            case .null: shown = "null"
            }
            return ColumnarError("\(shown) is not a \(type.nullable(true))")
        }
        switch (self, type.kind) {
        case (.null, _):
            return .null
        case (.bool(let b), .boolean):
            return .boolean(b)
        case (.number(let text), .tinyint), (.number(let text), .smallint), (.number(let text), .int), (.number(let text), .bigint):
            guard let n = Int64(text) else { throw bad() }
            return .integer(n)
        case (.number(let text), .float):
            guard let d = Double(text) else { throw bad() }
            return .float(Float(d))
        case (.number(let text), .double):
            guard let d = Double(text) else { throw bad() }
            return .double(d)
        case (.number(let text), .decimal):
            guard let (unscaled, scale) = ValueParser.parseDecimal(text) else { throw bad() }
            return .decimal(unscaled: unscaled, scale: scale)
        case (.string(let s), .char), (.string(let s), .varchar):
            return .string(s)
        case (.string(let s), _) where !type.isCharacterString:
            switch type.kind {
            case .array, .multiset, .map, .row: throw bad()
            default: return try ValueParser.parse(s[...], as: type)
            }
        case (.array(let items), .array(let element)), (.array(let items), .multiset(let element)):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                do { values.append(try item.value(as: element)) } catch { throw ColumnarError("[\(i)]: \(error.description)") }
            }
            return .list(values)
        case (.array(let pairs), .map(let keyType, let valueType)):
            var entries: [Value.MapEntry] = []
            for (i, pair) in pairs.enumerated() {
                guard case .array(let kv) = pair, kv.count == 2 else { throw ColumnarError("[\(i)]: a map entry must be [key, value]") }
                entries.append(.init(key: try kv[0].value(as: keyType), value: try kv[1].value(as: valueType)))
            }
            return .map(entries)
        case (.object(let members), .map(let keyType, let valueType)):
            var entries: [Value.MapEntry] = []
            for member in members {
                entries.append(.init(key: try JSONNode.string(member.key).value(as: keyType), value: try member.value.value(as: valueType)))
            }
            return .map(entries)
        case (.object(let members), .row(let fields)):
            let known = Set(fields.map(\.name))
            if let unknown = members.first(where: { !known.contains($0.key) }) {
                throw ColumnarError("unknown field '\(unknown.key)'")
            }
            var values: [Value] = []
            for field in fields {
                let node = members.first { $0.key == field.name }?.value ?? .null
                do { values.append(try node.value(as: field.type)) } catch { throw ColumnarError(".\(field.name): \(error.description)") }
            }
            return .row(values)
        default:
            throw bad()
        }
    }
}

/// JSON Lines: one JSON object per line, members named after the columns (``ValueJSON``'s encoding).
///
/// Reading: a missing member reads as null (an error for a NOT NULL column); a member that names no column is
/// an error; blank lines are skipped; a line is at most ``lineBytesMax`` bytes. Errors name the line and
/// column: `line 17: column price: "abc" is not a DECIMAL(10, 2)`.
public enum JSONLinesFormat {
    public static let lineBytesMax = 16 << 20

    /// Parses `bytes` (a whole file or a chunk of whole lines) into batches of at most `batchRows` rows.
    /// `firstLine` is the line number of the first line, for messages.
    public static func read(_ bytes: [UInt8], schema: RowType, batchRows: Int = 65_536, firstLine: Int = 1) throws(ColumnarError) -> [ColumnBatch] {
        var rows = BatchAccumulator(schema: schema, batchRows: batchRows)
        let names = Dictionary(uniqueKeysWithValues: schema.fields.enumerated().map { ($1.name, $0) })
        var line = firstLine
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0a { end += 1 }
            defer {
                start = end + 1
                line += 1
            }
            guard end - start <= lineBytesMax else { throw ColumnarError("line \(line): longer than \(lineBytesMax) bytes") }
            var text = String(decoding: bytes[start..<end], as: UTF8.self)[...]
            if text.hasSuffix("\r") { text = text.dropLast() }
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let node: JSONNode
            do { node = try JSONNode.parse(text) } catch { throw ColumnarError("line \(line): \(error.message)") }
            guard case .object(let members) = node else { throw ColumnarError("line \(line): expected a JSON object") }
            var seen = [Bool](repeating: false, count: schema.fields.count)
            for member in members {
                guard let index = names[member.key] else { throw ColumnarError("line \(line): no column named '\(member.key)'") }
                seen[index] = true
                do {
                    try rows.append(try member.value.value(as: schema.fields[index].type), column: index)
                } catch {
                    throw ColumnarError("line \(line): column \(member.key): \(error.description)")
                }
            }
            try rows.endRow(filled: seen, line: line)
        }
        return rows.finish()
    }

    /// The rows of `batch` as JSON Lines (each line ends with `\n`).
    public static func write(_ batch: ColumnBatch, into out: inout [UInt8]) {
        for row in 0..<batch.rowCount {
            out.append(contentsOf: ValueJSON.encodeRow(batch, row: row).utf8)
            out.append(0x0a)
        }
    }
}
