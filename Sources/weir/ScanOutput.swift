import Foundation
import WeirColumnar
import WeirFileIO
import WeirParquet
import WeirTable
import WeirTextFormats

/// Prints or writes the result of `weir table scan`.
enum ScanOutput {
    static func emit(_ result: ReadResult, format: OutputFormat, output: String?) async throws {
        let schema = result.rowType
        var bytes: [UInt8] = []
        switch format {
        case .jsonl:
            for batch in result.batches { JSONLinesFormat.write(batch, into: &bytes) }
        case .csv:
            CSVFormat.writeHeader(schema, into: &bytes)
            for batch in result.batches { CSVFormat.write(batch, into: &bytes) }
        case .table:
            bytes = Array(renderTable(result).utf8)
        case .parquet:
            let storage = Storage()
            let path = try storage.path(output!)
            _ = try await ParquetFile.write(io: try storage.io(for: path), path: path, schema: schema, batches: result.batches,
                                            options: ParquetWriteOptions(), overwrite: true)
            FileHandle.standardError.write(Data("wrote \(result.rowCount) rows to \(path)\n".utf8))
            return
        }
        if let output {
            let storage = Storage()
            let path = try storage.path(output)
            try await storage.io(for: path).write(path, bytes, overwrite: true)
            FileHandle.standardError.write(Data("wrote \(result.rowCount) rows to \(path)\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }

    /// An aligned text table (values in the JSON encoding, strings without quotes), at most 64 characters a cell.
    static func renderTable(_ result: ReadResult) -> String {
        let names = result.rowType.fieldNames
        var rows: [[String]] = []
        for batch in result.batches {
            for row in 0..<batch.rowCount {
                rows.append(batch.columns.map { column in
                    let value = column.value(at: row)
                    var text: String
                    if case .string(let s) = value {
                        text = s
                    } else if value == .null {
                        text = "NULL"
                    } else {
                        text = ValueJSON.encode(value, type: column.type)
                        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
                    }
                    if text.count > 64 { text = String(text.prefix(61)) + "..." }
                    return text
                })
            }
        }
        var widths = names.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ")
        }
        var out = line(names) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n"
        for row in rows { out += line(row) + "\n" }
        out += "(\(rows.count) rows)\n"
        return out
    }
}
