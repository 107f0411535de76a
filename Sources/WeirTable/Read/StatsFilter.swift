import WeirColumnar
import WeirPaimon

/// File skipping by the statistics in a file's `DataFileMeta` (Java's `KeyValueFileStoreScan` /
/// `AppendOnlyFileStoreScan` filters). Only statistics whose meaning is certain are used: a column is tested
/// only if the file's schema has the same field id with the same type; anything unknown may match.
enum StatsFilter {
    static func mayMatch(_ filter: Predicate, file: DataFileMeta, fileSchema: TableSchema, readSchema: TableSchema) throws(TableError) -> Bool {
        let isPrimaryKey = !readSchema.primaryKeys.isEmpty
        // Columns of the read schema whose stats we may use, as (read index → file column index).
        let statsFields: [DataField]
        let stats: SimpleStats
        let statsCols: [String]?
        if isPrimaryKey {
            // Key stats: over the trimmed primary key of the file's schema, always dense.
            statsFields = fileSchema.trimmedPrimaryKeys.compactMap { name in fileSchema.fields.first { $0.name == name } }
            stats = file.keyStats
            statsCols = nil
        } else {
            statsFields = fileSchema.fields
            stats = file.valueStats
            statsCols = file.valueStatsCols
        }
        if stats.minValues.arity == 0 && stats.nullCounts.isEmpty { return true }
        let colStats: [SimpleColStats]
        do {
            colStats = try SimpleStatsConverter(rowType: RowType(statsFields)).fromBinary(stats, valueStatsCols: statsCols, subject: file.fileName)
        } catch {
            return true  // stats we cannot read are no reason to skip data
        }
        var mapping: [Int: Int] = [:]
        for (readIndex, field) in readSchema.fields.enumerated() {
            if let statsIndex = statsFields.firstIndex(where: { $0.id == field.id }),
               statsFields[statsIndex].type.nullable(true) == field.type.nullable(true) {
                mapping[readIndex] = statsIndex
            }
        }
        guard let restricted = filter.restricted(to: mapping) else { return true }
        let types = statsFields.map(\.type)
        return restricted.mayMatch(types: types, rowCount: file.rowCount,
                                   min: { colStats[$0].min }, max: { colStats[$0].max }, nullCount: { colStats[$0].nullCount })
    }
}
