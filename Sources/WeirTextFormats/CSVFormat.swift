import WeirCodecs
import WeirColumnar

/// CSV as RFC 4180 describes it: a header row naming the columns, then one record per line; fields separated
/// by commas, quoted with `"` when they hold a comma, a quote or a line break (a quote inside is doubled).
///
/// Values: an empty unquoted field is null; `""` is an empty string; other text is parsed as
/// ``ValueParser`` describes; ARRAY, MAP and ROW cells hold ``ValueJSON`` text. Header names must be columns of
/// the schema (columns missing from the header read as null). Limits: a record is at most ``recordBytesMax``
/// bytes. Errors name the line and column.
public enum CSVFormat {
    public static let recordBytesMax = 16 << 20

    /// Parses a whole CSV text (header included) into batches of at most `batchRows` rows.
    public static func read(_ bytes: [UInt8], schema: RowType, batchRows: Int = 65_536) throws(ColumnarError) -> [ColumnBatch] {
        var parser = RecordParser(bytes: bytes)
        guard let header = try parser.next() else { throw ColumnarError("line 1: the file is empty; a header row is needed") }
        var columnOfField: [Int] = []
        for (position, cell) in header.cells.enumerated() {
            guard let index = schema.index(of: cell.text) else {
                throw ColumnarError("line 1: header field \(position + 1) '\(cell.text)' is not a column (columns: \(schema.fieldNames.joined(separator: ", ")))")
            }
            guard !columnOfField.contains(index) else { throw ColumnarError("line 1: column '\(cell.text)' appears twice") }
            columnOfField.append(index)
        }
        var rows = BatchAccumulator(schema: schema, batchRows: batchRows)
        while let record = try parser.next() {
            if record.cells.count == 1 && record.cells[0].text.isEmpty && !record.cells[0].quoted { continue }  // blank line
            guard record.cells.count == columnOfField.count else {
                throw ColumnarError("line \(record.line): \(record.cells.count) fields, the header has \(columnOfField.count)")
            }
            var filled = [Bool](repeating: false, count: schema.fields.count)
            for (cell, index) in zip(record.cells, columnOfField) {
                let field = schema.fields[index]
                filled[index] = true
                do {
                    let value: Value
                    if cell.text.isEmpty && !cell.quoted {
                        value = .null
                    } else {
                        switch field.type.kind {
                        case .array, .multiset, .map, .row:
                            let node: JSONNode
                            do { node = try JSONNode.parse(cell.text[...]) } catch { throw ColumnarError(error.message) }
                            value = try node.value(as: field.type)
                        default: value = try ValueParser.parse(cell.text[...], as: field.type)
                        }
                    }
                    try rows.append(value, column: index)
                } catch {
                    throw ColumnarError("line \(record.line): column \(field.name): \(String(describing: error))")
                }
            }
            try rows.endRow(filled: filled, line: record.line)
        }
        return rows.finish()
    }

    /// The header row for `schema`.
    public static func writeHeader(_ schema: RowType, into out: inout [UInt8]) {
        out.append(contentsOf: schema.fields.map { quoteIfNeeded($0.name) }.joined(separator: ",").utf8)
        out.append(0x0a)
    }

    /// The rows of `batch`, one line each.
    public static func write(_ batch: ColumnBatch, into out: inout [UInt8]) {
        for row in 0..<batch.rowCount {
            var cells: [String] = []
            cells.reserveCapacity(batch.columns.count)
            for (field, column) in zip(batch.schema.fields, batch.columns) {
                cells.append(cell(column.value(at: row), type: field.type))
            }
            out.append(contentsOf: cells.joined(separator: ",").utf8)
            out.append(0x0a)
        }
    }

    static func cell(_ value: Value, type: DataType) -> String {
        switch value {
        case .null: return ""
        case .string(let s): return s.isEmpty ? "\"\"" : quoteIfNeeded(s)
        case .list, .map, .row: return quoteIfNeeded(ValueJSON.encode(value, type: type))
        default:
            // Scalars: the JSON text without string quotes.
            var text = ValueJSON.encode(value, type: type)
            if text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            return text.isEmpty ? "\"\"" : quoteIfNeeded(text)  // empty text is not null
        }
    }

    static func quoteIfNeeded(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var out = "\""
        for character in text {
            out.append(character)
            if character == "\"" { out.append("\"") }
        }
        return out + "\""
    }

    struct Cell {
        var text: String
        var quoted: Bool
    }

    struct Record {
        var cells: [Cell]
        var line: Int
    }

    /// Splits the text into records, tracking line numbers (a quoted field may span lines).
    struct RecordParser {
        let bytes: [UInt8]
        var position = 0
        var line = 1

        mutating func next() throws(ColumnarError) -> Record? {
            guard position < bytes.count else { return nil }
            let startLine = line
            let start = position
            var cells: [Cell] = []
            var field: [UInt8] = []
            var quoted = false
            var inQuotes = false
            while position < bytes.count {
                guard position - start <= CSVFormat.recordBytesMax else {
                    throw ColumnarError("line \(startLine): a record longer than \(CSVFormat.recordBytesMax) bytes")
                }
                let byte = bytes[position]
                position += 1
                if inQuotes {
                    if byte == 0x22 {
                        if position < bytes.count && bytes[position] == 0x22 {
                            field.append(0x22)
                            position += 1
                        } else {
                            inQuotes = false
                        }
                    } else {
                        if byte == 0x0a { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case 0x22:
                    guard field.isEmpty && !quoted else { throw ColumnarError("line \(line): a quote inside an unquoted field") }
                    inQuotes = true
                    quoted = true
                case 0x2c:
                    cells.append(Cell(text: String(decoding: field, as: UTF8.self), quoted: quoted))
                    field = []
                    quoted = false
                case 0x0a:
                    line += 1
                    cells.append(Cell(text: String(decoding: field, as: UTF8.self), quoted: quoted))
                    return Record(cells: cells, line: startLine)
                case 0x0d where position < bytes.count && bytes[position] == 0x0a:
                    continue
                default:
                    guard !quoted else { throw ColumnarError("line \(line): text after a closing quote") }
                    field.append(byte)
                }
            }
            guard !inQuotes else { throw ColumnarError("line \(startLine): a quoted field is not closed") }
            cells.append(Cell(text: String(decoding: field, as: UTF8.self), quoted: quoted))
            return Record(cells: cells, line: startLine)
        }
    }
}
