import WeirColumnar
import WeirPaimon
@testable import WeirTable

/// The naive reference of the merge-engine model test: every record the test wrote, in arrival order, and the
/// table's rows computed from them by folding each key's records at once, with nothing buffered, flushed,
/// spilled, numbered or split into files (spec/paimon-semantics.md sections 1 and 2):
///
/// - `ignore-delete` drops every retract and `ignore-update-before` every `-U` before anything else;
/// - a key's records are taken in merge order: the `sequence.field` values (nulls smallest in both orders,
///   `sequence.field.sort-order = descending` reversing the comparison of two non-null values), then arrival;
/// - deduplicate: the last record, the key gone when it is a retract;
/// - first-row: the first add;
/// - partial-update and aggregation: one run of the table's ``MergeFunction`` over the key's whole sequence, the
///   key gone when the result is nil or a retract (the point is the engine around the function, not the function);
/// - append tables: every row written.
struct ModelReference {
    let schema: TableSchema
    private(set) var records: [(kind: RowKind, values: [Value])] = []

    init(schema: TableSchema) {
        self.schema = schema
    }

    mutating func append(_ kind: RowKind, _ values: [Value]) {
        records.append((kind, values))
    }

    /// The rows a reader must see after the first `count` records (all when nil).
    func rows(upTo count: Int? = nil) throws -> [[Value]] {
        let written = records.prefix(count ?? records.count)
        if schema.primaryKeys.isEmpty { return written.map(\.values) }
        let options = schema.options
        let ignoreDelete = options["ignore-delete"] == "true"
        let ignoreUpdateBefore = options["ignore-update-before"] == "true"
        let keyIndexes = schema.primaryKeys.map { name in schema.fields.firstIndex { $0.name == name }! }
        let sequenceIndexes = (options["sequence.field"] ?? "").split(separator: ",").map { name in
            schema.fields.firstIndex { $0.name == name }!
        }
        let descending = options["sequence.field.sort-order"] == "descending"

        var order: [[Value]] = []
        var groups: [[Value]: [(arrival: Int, kind: RowKind, values: [Value])]] = [:]
        for (arrival, record) in written.enumerated() {
            if ignoreDelete && record.kind.isRetract { continue }
            if ignoreUpdateBefore && record.kind == .updateBefore { continue }
            let key = keyIndexes.map { record.values[$0] }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append((arrival, record.kind, record.values))
        }

        let engine = options["merge-engine"] ?? "deduplicate"
        let factory = try MergeFunctionFactory(schema: schema)
        var out: [[Value]] = []
        for key in order {
            var group = groups[key]!
            if !sequenceIndexes.isEmpty {
                group.sort { a, b in
                    let c = Self.compare(sequenceIndexes.map { a.values[$0] }, sequenceIndexes.map { b.values[$0] }, descending: descending)
                    return c != 0 ? c < 0 : a.arrival < b.arrival
                }
            }
            switch engine {
            case "deduplicate":
                let last = group.last!
                if !last.kind.isRetract { out.append(last.values) }
            case "first-row":
                if let first = group.first(where: { !$0.kind.isRetract }) { out.append(first.values) }
            default:
                var function = factory.make()
                function.reset()
                for record in group {
                    try function.add(KeyValue(sequenceNumber: Int64(record.arrival), kind: record.kind, value: record.values))
                }
                if let result = try function.result(), !result.kind.isRetract { out.append(result.value) }
            }
        }
        return out
    }

    /// Sequence-field order: nulls first in both directions, non-null values compared (and reversed when
    /// descending) left to right.
    static func compare(_ a: [Value], _ b: [Value], descending: Bool) -> Int {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.null, .null): continue
            case (.null, _): return -1
            case (_, .null): return 1
            default:
                let c = compareNonNull(x, y)
                if c != 0 { return descending ? -c : c }
            }
        }
        return 0
    }

    static func compareNonNull(_ x: Value, _ y: Value) -> Int {
        switch (x, y) {
        case (.integer(let a), .integer(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.double(let a), .double(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.string(let a), .string(let b)):
            return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) ? -1 : (a == b ? 0 : 1)
        default: preconditionFailure("the model compares only INT, DOUBLE and STRING sequence fields, not \(x) and \(y)")
        }
    }
}

/// Rows as comparable text, for multiset comparison and messages.
enum ModelRows {
    /// Builds a batch of `type` from rows of values.
    static func batch(_ rows: [[Value]], type: RowType) throws -> ColumnBatch {
        var builders = type.fields.map { ColumnBuilder(type: $0.type) }
        for row in rows {
            for (i, value) in row.enumerated() { try builders[i].append(value) }
        }
        return ColumnBatch(schema: type, columns: builders.map { $0.finish() })
    }

    /// The rows of batches.
    static func rows(_ batches: [ColumnBatch]) -> [[Value]] {
        var out: [[Value]] = []
        for batch in batches {
            for row in 0..<batch.rowCount { out.append(batch.columns.map { $0.value(at: row) }) }
        }
        return out
    }

    /// Rows through the column types and back, so values compare as a reader returns them (a decimal at the
    /// column's scale, an INT as a 64-bit integer).
    static func normalized(_ rows: [[Value]], type: RowType) throws -> [[Value]] {
        Self.rows([try batch(rows, type: type)])
    }

    static func text(_ row: [Value]) -> String {
        "(" + row.map(text).joined(separator: ", ") + ")"
    }

    static func text(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .double(let d): return "\(d)"
        case .float(let f): return "\(f)f"
        case .string(let s): return s.debugDescription
        case .decimal(let unscaled, let scale): return "\(unscaled)e-\(scale)"
        default: return "\(value)"
        }
    }

    /// nil when `expected` and `actual` hold the same rows with the same multiplicities; otherwise what is missing
    /// and what is unexpected.
    static func difference(expected: [[Value]], actual: [[Value]]) -> String? {
        var counts: [String: Int] = [:]
        for row in expected { counts[text(row), default: 0] += 1 }
        for row in actual { counts[text(row), default: 0] -= 1 }
        let missing = counts.filter { $0.value > 0 }.keys.sorted()
        let extra = counts.filter { $0.value < 0 }.keys.sorted()
        if missing.isEmpty && extra.isEmpty { return nil }
        return "expected \(expected.count) rows, read \(actual.count)"
            + (missing.isEmpty ? "" : "\n  missing: " + missing.prefix(6).joined(separator: "\n           "))
            + (extra.isEmpty ? "" : "\n  unexpected: " + extra.prefix(6).joined(separator: "\n              "))
    }
}
