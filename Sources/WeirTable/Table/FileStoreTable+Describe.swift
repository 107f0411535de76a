import WeirPaimon

extension FileStoreTable {
    /// A person-readable summary: columns with ids and types, keys, options, snapshots, and the live files of the
    /// latest snapshot per partition and bucket with their levels.
    public func describe() async throws(TableError) -> String {
        var out = "table \(name)\n  location: \(paths.root)\n  schema id: \(schema.id)\n  columns:\n"
        for field in schema.fields {
            var line = "    \(field.name) \(field.type) (id \(field.id))"
            if schema.primaryKeys.contains(field.name) { line += " primary key" }
            if schema.partitionKeys.contains(field.name) { line += " partition key" }
            if let description = field.description { line += " -- \(description)" }
            out += line + "\n"
        }
        out += "  bucket: \(schema.numBuckets) (\(BucketMode.of(schema).rawValue))\n"
        if !schema.options.isEmpty {
            out += "  options:\n"
            for key in schema.options.keys.sorted() { out += "    \(key) = \(schema.options[key]!)\n" }
        }
        let ids = try await snapshots.ids()
        guard let latest = try await snapshots.latest() else {
            return out + "  snapshots: none\n"
        }
        out += "  snapshots: \(ids.count) (\(ids.first!) to \(ids.last!)); latest \(latest.id): \(latest.commitKind.rawValue), \(latest.totalRecordCount ?? 0) records\n"
        let entries = try await SnapshotReader(io: io, paths: paths).liveEntries(latest)
        let computer: InternalRowPartitionComputer
        do { computer = try InternalRowPartitionComputer(schema: schema) } catch { throw TableError.format(error) }
        var groups: [String: (files: Int, rows: Int64, bytes: Int64, levels: Set<Int32>)] = [:]
        for entry in entries {
            let partition = (try? computer.partitionPath(entry.partition)) ?? "?/"
            let key = partition + "bucket-\(entry.bucket)"
            var group = groups[key] ?? (0, 0, 0, [])
            group.files += 1
            group.rows += entry.file.rowCount
            group.bytes += entry.file.fileSize
            group.levels.insert(entry.file.level)
            groups[key] = group
        }
        out += "  live files: \(entries.count)\n"
        for key in groups.keys.sorted() {
            let g = groups[key]!
            out += "    \(key): \(g.files) files, \(g.rows) rows, \(g.bytes) bytes, levels \(g.levels.sorted().map(String.init).joined(separator: ","))\n"
        }
        return out
    }
}
