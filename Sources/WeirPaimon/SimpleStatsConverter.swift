import WeirColumnar

/// Turns per-column stats into a ``SimpleStats`` record and back, mirroring
/// `org.apache.paimon.stats.SimpleStatsConverter` (spec/paimon-format.md section 4.7).
///
/// The stats rows use the columns' types made nullable (a null field = unknown). In dense mode
/// (`metadata.stats-dense-store = true`, Java's default for value stats) columns whose stats are ``SimpleColStats/isNone``
/// are dropped and the kept column names are returned as `_VALUE_STATS_COLS` — nil when every column is kept. In all
/// mode every column is present and the column list is nil.
public struct SimpleStatsConverter: Sendable {
    public let rowType: RowType
    public let denseStore: Bool

    public init(rowType: RowType, denseStore: Bool = false) {
        self.rowType = RowType(rowType.fields.map { DataField(id: $0.id, name: $0.name, type: $0.type.nullable(true), description: $0.description) })
        self.denseStore = denseStore
    }

    /// `toBinary`: (`_VALUE_STATS_COLS`, stats) for one stats entry per column of `rowType`.
    public func toBinary(_ stats: [SimpleColStats]) throws(PaimonFormatError) -> (valueStatsCols: [String]?, stats: SimpleStats) {
        guard stats.count == rowType.fields.count else {
            throw PaimonFormatError("stats", "\(stats.count) column stats for \(rowType.fields.count) columns")
        }
        guard denseStore else { return (nil, try toBinaryAllMode(stats)) }
        var fields: [DataField] = []
        var kept: [SimpleColStats] = []
        for (field, column) in zip(rowType.fields, stats) where !column.isNone {
            fields.append(field)
            kept.append(column)
        }
        let simple = try Self.build(kept, types: fields.map(\.type))
        return (fields.count == rowType.fields.count ? nil : fields.map(\.name), simple)
    }

    /// `toBinaryAllMode`: every column present.
    public func toBinaryAllMode(_ stats: [SimpleColStats]) throws(PaimonFormatError) -> SimpleStats {
        guard stats.count == rowType.fields.count else {
            throw PaimonFormatError("stats", "\(stats.count) column stats for \(rowType.fields.count) columns")
        }
        return try Self.build(stats, types: rowType.fields.map(\.type))
    }

    static func build(_ stats: [SimpleColStats], types: [DataType]) throws(PaimonFormatError) -> SimpleStats {
        SimpleStats(
            minValues: try BinaryRowWriter.write(stats.map { $0.min ?? .null }, types: types, subject: "stats _MIN_VALUES"),
            maxValues: try BinaryRowWriter.write(stats.map { $0.max ?? .null }, types: types, subject: "stats _MAX_VALUES"),
            nullCounts: stats.map(\.nullCount))
    }

    /// Reads a stats record back into one entry per column of `rowType` (`SimpleStatsEvolution` without schema
    /// evolution): `valueStatsCols` nil means all columns; columns not covered come back with unknown stats.
    public func fromBinary(_ stats: SimpleStats, valueStatsCols: [String]?, subject: String = "stats") throws(PaimonFormatError) -> [SimpleColStats] {
        let names = valueStatsCols ?? rowType.fieldNames
        var positions: [Int] = []
        for name in names {
            guard let index = rowType.index(of: name) else { throw PaimonFormatError(subject, "stats column '\(name)' is not a column") }
            positions.append(index)
        }
        try stats.validate(subject: subject)
        guard stats.minValues.arity == positions.count else {
            throw PaimonFormatError(subject, "stats rows have \(stats.minValues.arity) fields for \(positions.count) columns")
        }
        let types = positions.map { rowType.fields[$0].type }
        let mins = try stats.minValues.values(types: types, subject: subject + " _MIN_VALUES")
        let maxs = try stats.maxValues.values(types: types, subject: subject + " _MAX_VALUES")
        var out = [SimpleColStats](repeating: SimpleColStats(min: nil, max: nil, nullCount: nil), count: rowType.fields.count)
        for (i, position) in positions.enumerated() {
            out[position] = SimpleColStats(
                min: mins[i] == .null ? nil : mins[i], max: maxs[i] == .null ? nil : maxs[i], nullCount: stats.nullCounts[i])
        }
        return out
    }
}

/// Collects the stats of every column of rows, mirroring `org.apache.paimon.statistics.SimpleStatsCollector`.
public struct SimpleStatsCollector: Sendable {
    public let rowType: RowType
    var collectors: [SimpleColStatsCollector]

    /// One mode per column (see ``modes(for:options:)``).
    public init(rowType: RowType, modes: [SimpleColStatsCollector.Mode]) throws(PaimonFormatError) {
        guard modes.count == rowType.fields.count else {
            throw PaimonFormatError("stats", "\(modes.count) stats modes for \(rowType.fields.count) columns")
        }
        self.rowType = rowType
        collectors = modes.map { SimpleColStatsCollector(mode: $0) }
    }

    /// `StatsCollectorFactories.createStatsFactories`: `metadata.stats-mode` for every column, overridden per column
    /// by `fields.<name>.stats-mode`.
    public static func modes(for rowType: RowType, options: CoreOptions) throws(PaimonFormatError) -> [SimpleColStatsCollector.Mode] {
        let global = try options.statsMode()
        var out: [SimpleColStatsCollector.Mode] = []
        for field in rowType.fields {
            let key = "\(CoreOptions.fieldsPrefix).\(field.name).stats-mode"
            if let text = options.options[key] {
                out.append(try SimpleColStatsCollector.Mode.parse(text, subject: "option '\(key)'"))
            } else {
                out.append(global)
            }
        }
        return out
    }

    /// Adds one row (one value per column).
    public mutating func collect(_ row: [Value]) throws(PaimonFormatError) {
        guard row.count == collectors.count else {
            throw PaimonFormatError("stats", "a row of \(row.count) values for \(collectors.count) columns")
        }
        for i in collectors.indices { collectors[i].collect(row[i]) }
    }

    /// Adds every row of `columns` (one ``Column`` per field, equal lengths).
    public mutating func collect(columns: [Column]) throws(PaimonFormatError) {
        guard columns.count == collectors.count else {
            throw PaimonFormatError("stats", "\(columns.count) columns for \(collectors.count) stats collectors")
        }
        let count = columns.first?.count ?? 0
        guard columns.allSatisfy({ $0.count == count }) else { throw PaimonFormatError("stats", "columns of different lengths") }
        for (i, column) in columns.enumerated() {
            for row in 0..<count { collectors[i].collect(column.value(at: row)) }
        }
    }

    /// `extract`: the stats per column.
    public func extract() -> [SimpleColStats] { collectors.map { $0.result() } }
}
