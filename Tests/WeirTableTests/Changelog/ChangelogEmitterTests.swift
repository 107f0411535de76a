import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

/// The emission rules of spec/paimon-semantics.md section 3 (Java's `LookupChangelogMergeFunctionWrapper` and
/// `FullChangelogMergeFunctionWrapper`), case by case.
@Suite struct ChangelogEmitterTests {
    static func kv(_ kind: RowKind, _ seq: Int64, _ v: String, note: String = "x", level: Int32 = 1) -> KeyValue {
        KeyValue(sequenceNumber: seq, kind: kind, value: [.integer(1), .string(v), .string(note)], level: level)
    }

    /// (kind, sequence, v) of each emitted record.
    static func shape(_ records: [KeyValue]) -> [String] {
        records.map { record in
            guard case .string(let v) = record.value[1] else { return "?" }
            return "\(record.kind.shortString) \(record.sequenceNumber) \(v)"
        }
    }

    @Test func lookupEmitsOnlyWithLevel0() {
        let before = Self.kv(.insert, 1, "old")
        let after = Self.kv(.updateAfter, 5, "new", level: 0)
        #expect(ChangelogEmitter.lookup(before: before, after: after, containedLevel0: false).isEmpty)
        #expect(ChangelogEmitter.lookup(before: nil, after: after, containedLevel0: false).isEmpty)
    }

    @Test func lookupRules() {
        let add = Self.kv(.insert, 1, "old")
        let retract = Self.kv(.delete, 2, "gone")
        let newAdd = Self.kv(.updateAfter, 5, "new", level: 0)
        let newRetract = Self.kv(.delete, 6, "del", level: 0)
        func emit(_ before: KeyValue?, _ after: KeyValue?) -> [String] {
            Self.shape(ChangelogEmitter.lookup(before: before, after: after, containedLevel0: true))
        }
        // BEFORE missing or a retract, AFTER an add: +I(after).
        #expect(emit(nil, newAdd) == ["+I 5 new"])
        #expect(emit(retract, newAdd) == ["+I 5 new"])
        // BEFORE missing or a retract, AFTER a retract: nothing (the key did not exist and still does not).
        #expect(emit(nil, newRetract).isEmpty)
        #expect(emit(retract, newRetract).isEmpty)
        // BEFORE an add, AFTER a retract (or no result): -D(before), with BEFORE's sequence number and value.
        #expect(emit(add, newRetract) == ["-D 1 old"])
        #expect(emit(add, nil) == ["-D 1 old"])
        // Both adds: -U(before), +U(after).
        #expect(emit(add, newAdd) == ["-U 1 old", "+U 5 new"])
        // An INSERT after is reported as +U in the pair, an UPDATE_AFTER new key as +I.
        #expect(emit(add, Self.kv(.insert, 7, "again", level: 0)) == ["-U 1 old", "+U 7 again"])
        #expect(emit(nil, Self.kv(.updateAfter, 8, "n", level: 0)) == ["+I 8 n"])
        #expect(ChangelogEmitter.lookup(before: add, after: newAdd, containedLevel0: true).allSatisfy { $0.level == KeyValue.unknownLevel })
    }

    @Test func rowDeduplicateSuppressesEqualPairs() {
        let before = Self.kv(.insert, 1, "same", note: "a")
        let sameAfter = Self.kv(.updateAfter, 5, "same", note: "a", level: 0)
        let noteOnly = Self.kv(.updateAfter, 6, "same", note: "b", level: 0)
        let plain = ChangelogEmitter.Options()
        let dedupe = ChangelogEmitter.Options(rowDeduplicate: true)
        let ignoringNote = ChangelogEmitter.Options(rowDeduplicate: true, ignoredFields: [2])
        #expect(Self.shape(ChangelogEmitter.lookup(before: before, after: sameAfter, containedLevel0: true, options: plain)) == ["-U 1 same", "+U 5 same"])
        #expect(ChangelogEmitter.lookup(before: before, after: sameAfter, containedLevel0: true, options: dedupe).isEmpty)
        #expect(ChangelogEmitter.lookup(before: before, after: noteOnly, containedLevel0: true, options: dedupe).count == 2)
        #expect(ChangelogEmitter.lookup(before: before, after: noteOnly, containedLevel0: true, options: ignoringNote).isEmpty)
        // Deduplication never hides an insert or a delete.
        #expect(Self.shape(ChangelogEmitter.lookup(before: nil, after: sameAfter, containedLevel0: true, options: dedupe)) == ["+I 5 same"])
        #expect(Self.shape(ChangelogEmitter.lookup(before: before, after: Self.kv(.delete, 9, "same", note: "a"), containedLevel0: true,
                                                   options: dedupe)) == ["-D 1 same"])
    }

    @Test func fullCompactionRules() {
        let top = Self.kv(.insert, 1, "top", level: 5)
        let merged = Self.kv(.updateAfter, 5, "merged", level: KeyValue.unknownLevel)
        func emit(_ top: KeyValue?, _ merged: KeyValue?, _ count: Int, _ options: ChangelogEmitter.Options = .init()) -> [String] {
            Self.shape(ChangelogEmitter.fullCompaction(topLevel: top, merged: merged, recordCount: count, options: options))
        }
        // One record: +I only when it is an add that was not at the max level.
        #expect(emit(nil, Self.kv(.insert, 3, "only", level: 0), 1) == ["+I 3 only"])
        #expect(emit(nil, Self.kv(.delete, 3, "only", level: 0), 1).isEmpty)
        #expect(emit(top, top, 1).isEmpty)
        // Several records.
        #expect(emit(nil, merged, 2) == ["+I 5 merged"])
        #expect(emit(nil, Self.kv(.delete, 5, "x"), 2).isEmpty)
        #expect(emit(top, Self.kv(.delete, 5, "x"), 2) == ["-D 1 top"])
        #expect(emit(top, nil, 2) == ["-D 1 top"])
        #expect(emit(top, merged, 3) == ["-U 1 top", "+U 5 merged"])
        let same = Self.kv(.updateAfter, 5, "top", level: 0)
        #expect(emit(top, same, 2, .init(rowDeduplicate: true)).isEmpty)
        #expect(emit(top, same, 2) == ["-U 1 top", "+U 5 top"])
    }

    @Test func optionsFromTheSchema() throws {
        func schema(_ options: [String: String]) throws -> TableSchema {
            try TableSchema.create(columns: [TableSchema.Column("k", DataType(.bigint, nullable: false)), TableSchema.Column("v", DataType.string),
                                             TableSchema.Column("ts", DataType.string)],
                                   partitionKeys: [], primaryKeys: ["k"], options: options, timeMillis: 0)
        }
        #expect(try ChangelogEmitter.Options(schema: schema([:])) == ChangelogEmitter.Options())
        let options = try ChangelogEmitter.Options(schema: schema(["changelog-producer.row-deduplicate": "TRUE",
                                                                   "changelog-producer.row-deduplicate-ignore-fields": " ts , v"]))
        #expect(options == ChangelogEmitter.Options(rowDeduplicate: true, ignoredFields: [1, 2]))
        #expect(throws: TableError.self) { try ChangelogEmitter.Options(schema: schema(["changelog-producer.row-deduplicate": "yes"])) }
        #expect(throws: TableError.self) {
            try ChangelogEmitter.Options(schema: schema(["changelog-producer.row-deduplicate-ignore-fields": "nope"]))
        }
    }
}
