/// Renders an open file's tail and stripe footers as text (what `weir file inspect` prints for ORC).
enum ORCInspection {
    static func describe(_ reader: ORCFileReader) async throws -> String {
        let ps = reader.postScript
        let footer = reader.footer
        var out = "ORC file \(reader.name)\n"
        out += "  size: \(reader.fileSize) bytes, rows: \(footer.numberOfRows), stripes: \(footer.stripes.count)\n"
        out += "  format version: \(ps.version.map(String.init).joined(separator: ".")), writer: \(writerName(footer.writer)), "
        out += "writer version: \(ps.writerVersion.map(String.init) ?? "none"), software: \(footer.softwareVersion ?? "unknown")\n"
        out += "  compression: \(ps.compression), block size: \(ps.compressionBlockSize ?? ORCPostScript.defaultCompressionBlockSize)\n"
        out += "  tail: footer \(ps.footerLength) bytes, metadata \(ps.metadataLength) bytes, row index stride \(footer.rowIndexStride)"
        if let calendar = footer.calendar { out += ", calendar \(calendar)" }
        out += "\n"
        let root = reader.root
        out += "  type: \(ORCSchema.describe(root))\n"
        out += "  schema:\n"
        for field in reader.fileSchema.fields { out += "    \(field.name) \(field.type) (field id \(field.id))\n" }
        if !footer.metadata.isEmpty {
            out += "  user metadata:\n"
            for item in footer.metadata { out += "    \(item.name): \(item.value.count) bytes\n" }
        }
        let names = columnNames(root)
        if !footer.statistics.isEmpty {
            out += "  file statistics:\n"
            for (id, stats) in footer.statistics.enumerated() {
                out += "    column \(id) \(id < names.count ? names[id] : "?"): \(describe(stats))\n"
            }
        }
        for stripe in reader.stripes {
            let info = stripe.information
            out += "  stripe \(stripe.index): rows \(info.numberOfRows), offset \(info.offset), index \(info.indexLength), "
            out += "data \(info.dataLength), footer \(info.footerLength) bytes\n"
            let stripeFooter = try await reader.stripeFooter(stripe.index)
            if let zone = stripeFooter.writerTimezone { out += "    writer timezone: \(zone)\n" }
            out += "    encodings:\n"
            for (id, encoding) in stripeFooter.columns.enumerated() {
                var line = "      column \(id) \(id < names.count ? names[id] : "?"): \(encoding.kind)"
                if let size = encoding.dictionarySize, encoding.kind.isDictionary { line += " (dictionary of \(size))" }
                out += line + "\n"
            }
            out += "    streams:\n"
            var offset = info.offset
            for stream in stripeFooter.streams {
                out += "      column \(stream.column) \(stream.kind): offset \(offset), \(stream.length) bytes\n"
                offset &+= stream.length
            }
            if !stripe.statistics.isEmpty {
                out += "    statistics:\n"
                for (id, stats) in stripe.statistics.enumerated() {
                    out += "      column \(id) \(id < names.count ? names[id] : "?"): \(describe(stats))\n"
                }
            }
        }
        return out
    }

    static func writerName(_ code: UInt32?) -> String {
        switch code {
        case nil, 0?: "ORC Java"
        case 1?: "ORC C++"
        case 2?: "Presto"
        case 3?: "Scritchley Go"
        case 4?: "Trino"
        case 5?: "CUDF"
        case ORCWriter.writerCode?: "Weir"
        case let code?: "writer \(code)"
        }
    }

    /// The dotted name of every column id (`root`, `price`, `tags.element`, ...).
    static func columnNames(_ root: ORCTypeNode) -> [String] {
        var names = [String](repeating: "", count: root.lastId + 1)
        func visit(_ node: ORCTypeNode, _ name: String) {
            names[node.id] = name
            switch node.kind {
            case .struct:
                for (field, child) in zip(node.type.fieldNames, node.children) { visit(child, node.id == 0 ? field : name + "." + field) }
            case .list: visit(node.children[0], name + ".element")
            case .map:
                visit(node.children[0], name + ".key")
                visit(node.children[1], name + ".value")
            default:
                for (i, child) in node.children.enumerated() { visit(child, name + ".\(i)") }
            }
        }
        visit(root, "(root)")
        return names
    }

    static func text(_ bytes: [UInt8]) -> String {
        let s = String(decoding: bytes.prefix(64), as: UTF8.self)
        return "\"" + s + (bytes.count > 64 ? "…" : "") + "\""
    }

    static func describe(_ s: ORCColumnStatistics) -> String {
        var parts = ["values \(s.numberOfValues)"]
        if let hasNull = s.hasNull { parts.append("hasNull \(hasNull)") }
        if let i = s.intStatistics {
            parts.append("min \(i.minimum.map(String.init) ?? "-") max \(i.maximum.map(String.init) ?? "-") sum \(i.sum.map(String.init) ?? "-")")
        }
        if let d = s.doubleStatistics {
            parts.append("min \(d.minimum.map { "\($0)" } ?? "-") max \(d.maximum.map { "\($0)" } ?? "-") sum \(d.sum.map { "\($0)" } ?? "-")")
        }
        if let t = s.stringStatistics {
            parts.append("min \(t.minimum.map(text) ?? t.lowerBound.map { "≥" + text($0) } ?? "-") max \(t.maximum.map(text) ?? t.upperBound.map { "≤" + text($0) } ?? "-") total length \(t.sum.map(String.init) ?? "-")")
        }
        if let b = s.bucketStatistics { parts.append("true \(b.first.map(String.init) ?? "-")") }
        if let d = s.decimalStatistics { parts.append("min \(d.minimum ?? "-") max \(d.maximum ?? "-") sum \(d.sum ?? "-")") }
        if let d = s.dateStatistics { parts.append("min day \(d.minimum.map(String.init) ?? "-") max day \(d.maximum.map(String.init) ?? "-")") }
        if let b = s.binaryStatistics { parts.append("total length \(b)") }
        if let t = s.timestampStatistics {
            parts.append("min \(t.minimumUtc.map { "\($0) ms" } ?? "-") max \(t.maximumUtc.map { "\($0) ms" } ?? "-") (UTC)")
        }
        if let c = s.collectionStatistics {
            parts.append("children min \(c.minChildren.map(String.init) ?? "-") max \(c.maxChildren.map(String.init) ?? "-") total \(c.totalChildren.map(String.init) ?? "-")")
        }
        if let b = s.bytesOnDisk { parts.append("\(b) bytes on disk") }
        return parts.joined(separator: ", ")
    }
}
