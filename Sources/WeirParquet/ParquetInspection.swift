import WeirColumnar

/// The text of ``ParquetFile/inspect(io:path:options:)``: everything in the footer a person needs to understand a file,
/// one fact per line, indented by nesting.
enum ParquetInspection {
    static func report(name: String, footer: ParquetFooter) -> String {
        let metadata = footer.metadata
        var lines: [String] = []
        lines.append("file: \(name)")
        lines.append("size: \(footer.fileSize) bytes; footer: \(footer.metadataLength) bytes at offset \(footer.metadataOffset)")
        lines.append("created by: \(metadata.createdBy ?? "(not recorded)")")
        lines.append("format version: \(metadata.version)")
        lines.append("rows: \(metadata.numRows) in \(metadata.rowGroups.count) row group\(metadata.rowGroups.count == 1 ? "" : "s")")
        lines.append("schema (message \(footer.schema.messageName)):")
        var index = 1
        var topLevel = 0
        let rootChildren = Int(metadata.schema.first?.numChildren ?? 0)
        for _ in 0..<rootChildren where index < metadata.schema.count {
            let paimon = footer.schema.rowType.fields[topLevel]
            schemaLines(metadata.schema, &index, indent: 1, paimon: "\(paimon.type) (id \(paimon.id))", into: &lines)
            topLevel += 1
        }
        if let kv = metadata.keyValueMetadata, !kv.isEmpty {
            lines.append("key-value metadata:")
            for entry in kv {
                let value = entry.value ?? "(null)"
                let shown = value.count > 80 ? "\(value.utf8.count) bytes" : value
                lines.append("  \(entry.key): \(shown)")
            }
        }
        for (g, group) in metadata.rowGroups.enumerated() {
            let compressed = group.columns.reduce(Int64(0)) { $0 &+ ($1.metaData?.totalCompressedSize ?? 0) }
            lines.append("row group \(g): \(group.numRows) rows, \(group.totalByteSize) bytes uncompressed, \(compressed) bytes compressed"
                         + (group.fileOffset.map { ", at offset \($0)" } ?? ""))
            for (c, chunk) in group.columns.enumerated() {
                guard let meta = chunk.metaData else { continue }
                let leaf = footer.schema.leaves[c]
                var line = "  \(leaf.pathString): \(leaf.physical), \(CompressionKind.name(meta.codec)), encodings "
                    + meta.encodings.map(Encoding.name).joined(separator: " ")
                    + ", \(meta.numValues) values, \(meta.totalCompressedSize) bytes compressed, \(meta.totalUncompressedSize) uncompressed"
                if let dictionary = meta.dictionaryPageOffset { line += ", dictionary page at \(dictionary)" }
                line += ", data pages at \(meta.dataPageOffset)"
                let stats = StatisticsDecoding.decode(meta.statistics, leaf: leaf)
                if let nulls = stats.nullCount { line += ", nulls \(nulls)" }
                if let distinct = stats.distinctCount { line += ", distinct \(distinct)" }
                if let lo = stats.min.flatMap({ StatisticsDecoding.value($0, type: leaf.type) }),
                   let hi = stats.max.flatMap({ StatisticsDecoding.value($0, type: leaf.type) }) {
                    line += ", min \(format(lo, leaf.type)), max \(format(hi, leaf.type))"
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func schemaLines(_ elements: [SchemaElement], _ index: inout Int, indent: Int, paimon: String?,
                                    into lines: inout [String]) {
        guard index < elements.count else { return }
        let e = elements[index]
        index += 1
        var line = String(repeating: "  ", count: indent)
        line += e.repetition.flatMap(Repetition.init(rawValue:))?.description ?? "?"
        if let type = e.type {
            line += " " + (PhysicalType(rawValue: type)?.description.lowercased() ?? "type \(type)")
            if let length = e.typeLength, type == PhysicalType.fixedLenByteArray.rawValue { line += "(\(length))" }
        } else {
            line += " group"
        }
        line += " " + e.name
        if let logical = e.logicalType {
            line += " (\(logical))"
        } else if let converted = e.convertedType {
            line += " (\(ConvertedType(rawValue: converted)?.description ?? "converted \(converted)"))"
        }
        if let id = e.fieldID { line += " [field id \(id)]" }
        if let paimon { line += " → \(paimon)" }
        lines.append(line)
        if e.type == nil, let children = e.numChildren, children > 0 {
            for _ in 0..<children { schemaLines(elements, &index, indent: indent + 1, paimon: nil, into: &lines) }
        }
    }

    /// A value for people: decimals with their point, dates as YYYY-MM-DD, times and timestamps in ISO form.
    static func format(_ value: Value, _ type: DataType) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let n): return String(n)
        case .float(let f): return f.description
        case .double(let d): return d.description
        case .decimal(let unscaled, let scale):
            var digits = String(unscaled.magnitude)
            if scale > 0 {
                if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
            }
            return (unscaled < 0 ? "-" : "") + digits
        case .string(let s): return "\"" + (s.count > 40 ? String(s.prefix(40)) + "…" : s) + "\""
        case .bytes(let b): return "0x" + b.prefix(32).map { String(format2($0)) }.joined() + (b.count > 32 ? "…" : "")
        case .date(let days): return civilDate(Int64(days))
        case .time(let millis):
            let ms = Int64(millis)
            return pad(ms / 3_600_000, 2) + ":" + pad(ms / 60_000 % 60, 2) + ":" + pad(ms / 1000 % 60, 2) + "." + pad(ms % 1000, 3)
        case .timestamp(let t):
            var precision = 6
            if case .timestamp(let p) = type.kind { precision = p }
            if case .timestampLTZ(let p) = type.kind { precision = p }
            let perSecond: Int64 = precision <= 3 ? 1_000 : precision <= 6 ? 1_000_000 : 1_000_000_000
            var seconds = t / perSecond, fraction = t % perSecond
            if fraction < 0 {
                fraction += perSecond
                seconds -= 1
            }
            var days = seconds / 86_400, ofDay = seconds % 86_400
            if ofDay < 0 {
                ofDay += 86_400
                days -= 1
            }
            let digits = precision <= 3 ? 3 : precision <= 6 ? 6 : 9
            return civilDate(days) + "T" + pad(ofDay / 3600, 2) + ":" + pad(ofDay / 60 % 60, 2) + ":" + pad(ofDay % 60, 2)
                + "." + pad(fraction, digits)
        case .list, .map, .row: return "(nested)"
        }
    }

    private static func format2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n.magnitude)
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// YYYY-MM-DD of `days` since 1970-01-01 (proleptic Gregorian).
    static func civilDate(_ days: Int64) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }
}
