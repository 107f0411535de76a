import Testing
import WeirColumnar
import WeirPaimon

@Suite struct StatsTests {
    @Test func truncateSixteenOnStrings() {
        var c = SimpleColStatsCollector(mode: .truncate(16))
        for v: Value in [.string("banana"), .null, .string("an apple that is longer than sixteen"), .string("zz top is also quite long!"), .null] {
            c.collect(v)
        }
        let r = c.result()
        #expect(r.min == .string("an apple that is"))
        #expect(r.max == .string("zz top is also r"), "cut to 16 code points, last one incremented")
        #expect(r.nullCount == 2)

        // Code points, not bytes; the increment skips the surrogate range.
        var u = SimpleColStatsCollector(mode: .truncate(3))
        u.collect(.string("äöü\u{D7FF}x"))
        u.collect(.string("ab\u{D7FF}zz"))
        #expect(u.result().min == .string("ab\u{D7FF}"))
        #expect(u.result().max == .string("äöý"))
        var s = SimpleColStatsCollector(mode: .truncate(2))
        s.collect(.string("a\u{D7FF}b"))
        #expect(s.result().max == .string("a\u{E000}"))
        // No upper bound exists: the column's min and max become unknown for good.
        var f = SimpleColStatsCollector(mode: .truncate(1))
        f.collect(.string("\u{10FFFF}\u{10FFFF}"))
        f.collect(.string("a"))
        #expect(f.result() == SimpleColStats(min: nil, max: nil, nullCount: 0))
        // Strings compare by unsigned UTF-8 bytes.
        var b = SimpleColStatsCollector(mode: .full)
        for v in ["Z", "a", "é", "~"] { b.collect(.string(v)) }
        #expect(b.result().min == .string("Z") && b.result().max == .string("é"))
    }

    @Test func modesAndComparableTypes() {
        var full = SimpleColStatsCollector(mode: .full)
        for v: Value in [.double(0.0), .double(-0.0), .double(.nan), .double(-1)] { full.collect(v) }
        #expect(full.result().min == .double(-1))
        if case .double(let max)? = full.result().max { #expect(max.isNaN, "NaN is largest, as Double.compare") } else { Issue.record("no max") }
        var zero = SimpleColStatsCollector(mode: .full)
        zero.collect(.double(0.0))
        zero.collect(.double(-0.0))
        if case .double(let min)? = zero.result().min { #expect(min.sign == .minus) } else { Issue.record("no min") }

        var bytes = SimpleColStatsCollector(mode: .full)
        bytes.collect(.bytes([1]))
        bytes.collect(.null)
        #expect(bytes.result() == SimpleColStats(min: nil, max: nil, nullCount: 1), "byte arrays are not Comparable in Java")

        var counts = SimpleColStatsCollector(mode: .counts)
        counts.collect(.integer(5))
        counts.collect(.null)
        #expect(counts.result() == SimpleColStats(min: nil, max: nil, nullCount: 1))
        var none = SimpleColStatsCollector(mode: .none)
        none.collect(.integer(5))
        #expect(none.result().isNone)

        var decimals = SimpleColStatsCollector(mode: .truncate(16))
        for v: Value in [.decimal(unscaled: 150, scale: 2), .decimal(unscaled: -1, scale: 2), .decimal(unscaled: 99, scale: 2)] { decimals.collect(v) }
        #expect(decimals.result() == SimpleColStats(min: .decimal(unscaled: -1, scale: 2), max: .decimal(unscaled: 150, scale: 2), nullCount: 0))

        let converted = SimpleColStatsCollector(mode: .truncate(4)).convert(SimpleColStats(min: .string("abcdef"), max: .string("uvwxyz"), nullCount: 3))
        #expect(converted == SimpleColStats(min: .string("abcd"), max: .string("uvwy"), nullCount: 3))
        #expect(SimpleColStatsCollector(mode: .counts).convert(converted) == SimpleColStats(min: nil, max: nil, nullCount: 3))
    }

    @Test func converterBuildsJavasStatsRecords() throws {
        let rowType = RowType([
            DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)), DataField(id: 1, name: "name", type: .string),
            DataField(id: 2, name: "blob", type: .bytes), DataField(id: 3, name: "ts", type: DataType(.timestamp(precision: 6))),
        ])
        let options = CoreOptions(["fields.blob.stats-mode": "none", "fields.ts.stats-mode": "full"])
        let modes = try SimpleStatsCollector.modes(for: rowType, options: options)
        #expect(modes == [.truncate(16), .truncate(16), .none, .full])
        var collector = try SimpleStatsCollector(rowType: rowType, modes: modes)
        try collector.collect([.integer(3), .string("x"), .bytes([1]), .timestamp(5)])
        try collector.collect([.integer(1), .null, .null, .timestamp(9)])
        let stats = collector.extract()
        #expect(stats[0] == SimpleColStats(min: .integer(1), max: .integer(3), nullCount: 0))
        #expect(stats[1] == SimpleColStats(min: .string("x"), max: .string("x"), nullCount: 1))
        #expect(stats[2].isNone)

        // Dense mode drops the `none` column and lists the kept ones.
        let dense = try SimpleStatsConverter(rowType: rowType, denseStore: true).toBinary(stats)
        #expect(dense.valueStatsCols == ["id", "name", "ts"])
        #expect(dense.stats.minValues.arity == 3 && dense.stats.nullCounts == [0, 1, 0])
        let read = try SimpleStatsConverter(rowType: rowType).fromBinary(dense.stats, valueStatsCols: dense.valueStatsCols)
        #expect(read[0] == stats[0] && read[1] == stats[1] && read[3] == stats[3])
        #expect(read[2] == SimpleColStats(min: nil, max: nil, nullCount: nil))
        // All mode keeps every column; dense mode with every column kept writes no column list.
        let all = try SimpleStatsConverter(rowType: rowType).toBinary(stats)
        #expect(all.valueStatsCols == nil && all.stats.minValues.arity == 4 && all.stats.nullCounts == [0, 1, nil, 0])
        let keyType = RowType([rowType.fields[0]])
        #expect(try SimpleStatsConverter(rowType: keyType, denseStore: true).toBinary([stats[0]]).valueStatsCols == nil)
        #expect(paimonError { _ = try SimpleStatsConverter(rowType: keyType).toBinary(stats) } != nil)
        #expect(paimonError { _ = try SimpleStatsConverter(rowType: rowType).fromBinary(dense.stats, valueStatsCols: ["id", "nope", "ts"]) } != nil)
        #expect(paimonError { _ = try SimpleStatsConverter(rowType: rowType).fromBinary(dense.stats, valueStatsCols: ["id"]) } != nil)
    }

    /// Key and partition stats of the pypaimon fixtures are what the converter builds from the same values.
    @Test func fixtureStatsBytes() throws {
        let keyConverter = SimpleStatsConverter(rowType: RowType([DataField(id: 1, name: "id", type: DataType(.bigint, nullable: false))]))
        let partitionConverter = SimpleStatsConverter(rowType: RowType([DataField(id: 0, name: "dt", type: .string)]))
        var checked = 0
        for snapshot in FixtureManifestData.snapshots {
            for entry in snapshot.entries where entry.keyStats.nullCounts.count == 1 {
                let min = try SerializationUtils.deserializeBinaryRow(hex(entry.minKey)).values(types: [DataType(.bigint)])[0]
                let max = try SerializationUtils.deserializeBinaryRow(hex(entry.maxKey)).values(types: [DataType(.bigint)])[0]
                let built = try keyConverter.toBinaryAllMode([SimpleColStats(min: min, max: max, nullCount: 0)])
                #expect(SerializationUtils.serializeBinaryRow(built.minValues) == hex(entry.keyStats.min))
                #expect(SerializationUtils.serializeBinaryRow(built.maxValues) == hex(entry.keyStats.max))
                #expect(built.nullCounts == entry.keyStats.nullCounts)
                checked += 1
            }
            for meta in snapshot.manifests where meta.partitionStats.nullCounts.count == 1 {
                let read = try partitionConverter.fromBinary(try ManifestTests.stats(meta.partitionStats), valueStatsCols: nil)
                #expect(read[0].min == .string("2024-01-01") || read[0].min == .string("2024-02-01"))
                #expect(read[0].max == .string("2024-01-02") || read[0].max == .string("2024-02-02"))
                let built = try partitionConverter.toBinaryAllMode(read)
                #expect(SerializationUtils.serializeBinaryRow(built.minValues) == hex(meta.partitionStats.min))
                checked += 1
            }
            for entry in snapshot.entries {
                #expect(try ManifestTests.stats(entry.valueStats) == .emptyStats, "pypaimon writes no value stats by default")
                #expect(entry.valueStatsCols == [])
            }
        }
        #expect(checked > 30)
    }
}
