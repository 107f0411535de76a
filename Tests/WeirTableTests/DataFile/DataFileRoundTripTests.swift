import Foundation
import Testing
import WeirCodecs
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

/// Every primitive type, nullable and NOT NULL; `id` is the primary key.
let primitiveFields: [DataField] = {
    let types: [DataType] = [
        DataType(.boolean), DataType(.tinyint), DataType(.smallint), DataType(.int), DataType(.bigint), DataType(.float),
        DataType(.double), DataType(.decimal(precision: 5, scale: 2)), DataType(.decimal(precision: 18, scale: 4)),
        DataType(.decimal(precision: 38, scale: 10)), DataType(.char(length: 5)), DataType(.varchar(length: 20)), .string,
        DataType(.binary(length: 6)), DataType(.varbinary(length: 30)), .bytes, DataType(.date), DataType(.time(precision: 3)),
        DataType(.timestamp(precision: 0)), DataType(.timestamp(precision: 3)), DataType(.timestamp(precision: 6)),
        DataType(.timestamp(precision: 9)), DataType(.timestampLTZ(precision: 3)), DataType(.timestampLTZ(precision: 6)),
    ]
    var fields = [DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false))]
    for (i, type) in types.enumerated() {
        fields.append(DataField(id: 2 * i + 1, name: "n\(i)", type: type))
        fields.append(DataField(id: 2 * i + 2, name: "r\(i)", type: type.nullable(false)))
    }
    return fields
}()


/// Bounded random values for the round trip (timestamps within the formats' ranges, times of day).
func roundTripValue(_ type: DataType, _ g: inout SplitMix64) -> Value {
    if type.isNullable, Int.random(in: 0..<5, using: &g) == 0 { return .null }
    switch type.kind {
    case .timestamp(let p), .timestampLTZ(let p):
        let seconds = Int64.random(in: -2_000_000_000...4_000_000_000, using: &g)
        let unit: Int64 = p <= 3 ? 1000 : (p <= 6 ? 1_000_000 : 1_000_000_000)
        let fraction = p == 0 ? 0 : Int64.random(in: 0..<unit, using: &g)
        let scaled = p == 0 ? 0 : (p <= 3 ? fraction : fraction)
        return .timestamp(seconds * unit + scaled)
    case .date: return .date(days: Int32.random(in: -100_000...100_000, using: &g))
    default: return randomValue(type, &g, ties: true)
    }
}

@Suite struct DataFileRoundTripTests {
    func schema(_ fields: [DataField], primaryKeys: [String], options: [String: String], id: Int64 = 0) throws -> TableSchema {
        try TableSchema(id: id, fields: fields, highestFieldId: fields.map(\.id).max() ?? 0, partitionKeys: [], primaryKeys: primaryKeys,
                        options: options, timeMillis: 0)
    }

    func rows(_ g: inout SplitMix64, count: Int) -> [[Value]] {
        (0..<count).map { i in
            var row = primitiveFields.map { roundTripValue($0.type, &g) }
            row[0] = .integer(Int64(i * 3 - 100))
            return row
        }
    }

    @Test(arguments: DataFileFormat.allCases) func primaryKeyFilesRoundTrip(format: DataFileFormat) async throws {
        let seed = testSeed()
        var g = SplitMix64(seed: seed)
        let scratch = try Scratch("kvfile")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let directory = try localPath(scratch.path + "/bucket-0")
        let table = try schema(primitiveFields, primaryKeys: ["id"], options: [
            "file.format": format.rawValue, "target-file-size": "16 kb", "metadata.stats-mode": "full",
        ])
        let values = rows(&g, count: 700)
        let kinds: [RowKind] = values.indices.map { _ in RowKind.allCases.randomElement(using: &g)! }
        let sequences = values.indices.map { Int64(1000 + $0) }
        let writer = try KeyValueFileWriter(io: io, directory: directory, schema: table)
        #expect(writer.fileRowType.fields.map(\.name).prefix(4) == ["_KEY_id", "_SEQUENCE_NUMBER", "_VALUE_KIND", "id"])
        #expect(writer.fileRowType.fields.prefix(3).map(\.id) == [1_073_741_823, 2_147_483_646, 2_147_483_645])
        // Written in three batches.
        for range in [0..<250, 250..<251, 251..<700] {
            try await writer.write(KeyValueBatch(sequenceNumbers: Array(sequences[range]), rowKinds: Array(kinds[range]),
                                                 values: batch(primitiveFields, Array(values[range]))))
        }
        let files = try await writer.close()
        #expect(files.count > 1, "rolled at 16 KiB (seed \(seed))")
        var readRows: [[Value]] = []
        var readSequences: [Int64] = []
        var readKinds: [RowKind] = []
        var start = 0
        let keyType = [DataType(.bigint, nullable: false)]
        let uuid = files[0].fileName.dropFirst(5).prefix(36)
        for (n, file) in files.enumerated() {
            #expect(file.fileName == "data-\(uuid)-\(n).\(format.rawValue)")
            let path = try directory.appending(file.fileName)
            let size = try await io.status(path).size
            #expect(file.fileSize == size)
            let count = Int(file.rowCount)
            let fileRange = start..<(start + count)
            #expect(file.minKey == (try BinaryRowWriter.write([values[fileRange.lowerBound][0]], types: keyType)))
            #expect(file.maxKey == (try BinaryRowWriter.write([values[fileRange.upperBound - 1][0]], types: keyType)))
            #expect(file.keyStats.minValues == (try BinaryRowWriter.write([values[fileRange.lowerBound][0]], types: [DataType(.bigint)])))
            #expect(file.keyStats.maxValues == (try BinaryRowWriter.write([values[fileRange.upperBound - 1][0]], types: [DataType(.bigint)])))
            #expect(file.keyStats.nullCounts == [0])
            #expect(file.minSequenceNumber == sequences[fileRange.lowerBound])
            #expect(file.maxSequenceNumber == sequences[fileRange.upperBound - 1])
            #expect(file.deleteRowCount == Int64(kinds[fileRange].filter(\.isRetract).count))
            #expect(file.level == 0 && file.schemaId == 0 && file.extraFiles.isEmpty && file.fileSource == .append)
            #expect(file.creationTime != nil)
            // Full-mode value stats of every column (dense store keeps them all: no column list).
            #expect(file.valueStatsCols == nil)
            let converter = SimpleStatsConverter(rowType: RowType(primitiveFields))
            let stats = try converter.fromBinary(file.valueStats, valueStatsCols: nil)
            for (c, field) in primitiveFields.enumerated() {
                let column = fileRange.map { values[$0][c] }
                #expect(stats[c].nullCount == Int64(column.filter { $0 == .null }.count), "\(field.name)")
                let present = column.filter { $0 != .null }
                if field.type.isByteString && !field.type.isCharacterString || present.isEmpty {
                    #expect(stats[c].min == nil && stats[c].max == nil, "\(field.name)")
                } else {
                    let sorted = present.sorted { referenceCompare($0, $1) < 0 }
                    #expect(stats[c].min.map { referenceCompare($0, sorted.first!) == 0 } == true, "\(field.name) min")
                    #expect(stats[c].max.map { referenceCompare($0, sorted.last!) == 0 } == true, "\(field.name) max")
                }
            }
            let reader = try await DataFileReader.open(io: io, path: path, file: file, fileSchema: table, tableSchema: table, primaryKey: true)
            for b in try await reader.readAll() {
                readRows += rowsOf(b.values)
                readSequences += b.sequenceNumbers
                readKinds += b.rowKinds
            }
            start += count
        }
        #expect(start == values.count)
        #expect(readSequences == sequences)
        #expect(readKinds == kinds)
        #expect(sameRows(readRows, values), "seed \(seed)")
    }

    @Test(arguments: DataFileFormat.allCases) func appendFilesRoundTrip(format: DataFileFormat) async throws {
        let seed = testSeed()
        var g = SplitMix64(seed: seed)
        let scratch = try Scratch("appendfile")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let directory = try localPath(scratch.path + "/bucket-0")
        let table = try schema(primitiveFields, primaryKeys: [], options: ["file.format": format.rawValue, "target-file-size": "24 kb"])
        let values = rows(&g, count: 500)
        let writer = try AppendFileWriter(io: io, directory: directory, schema: table, nextSequenceNumber: 42)
        try await writer.write(batch(primitiveFields, Array(values[0..<300])))
        try await writer.write(batch(primitiveFields, Array(values[300...])))
        #expect(writer.nextSequenceNumber == 542)
        let files = try await writer.close()
        #expect(files.count > 1)
        var readRows: [[Value]] = []
        var sequences: [Int64] = []
        for file in files {
            #expect(file.minKey == .emptyRow && file.maxKey == .emptyRow && file.keyStats == .emptyStats)
            #expect(file.deleteRowCount == 0 && file.level == 0)
            #expect(file.maxSequenceNumber - file.minSequenceNumber + 1 == file.rowCount)
            // Default truncate(16) stats: every column kept, BINARY columns with null counts only.
            #expect(file.valueStatsCols == nil)
            let path = try directory.appending(file.fileName)
            #expect(file.fileSize == (try await io.status(path).size))
            let reader = try await DataFileReader.open(io: io, path: path, file: file, fileSchema: table, tableSchema: table, primaryKey: false)
            for b in try await reader.readAll() {
                readRows += rowsOf(b.values)
                sequences += b.sequenceNumbers
                #expect(b.rowKinds.allSatisfy { $0 == .insert })
            }
        }
        #expect(sequences == Array(42..<542))
        #expect(sameRows(readRows, values), "seed \(seed)")
    }

    @Test func statsModesAndDenseStore() async throws {
        let scratch = try Scratch("stats")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let fields = [DataField(id: 0, name: "id", type: DataType(.int, nullable: false)), DataField(id: 1, name: "s", type: .string),
                      DataField(id: 2, name: "x", type: DataType(.double))]
        let table = try schema(fields, primaryKeys: ["id"], options: ["metadata.stats-mode": "truncate(3)", "fields.x.stats-mode": "none"])
        let writer = try KeyValueFileWriter(io: io, directory: try localPath(scratch.path + "/b"), schema: table, level: 3,
                                            fileSource: .compact, changelog: true)
        try await writer.write(KeyValueBatch(sequenceNumbers: [7, 8], rowKinds: [.insert, .delete],
                                             values: batch(fields, [[.integer(1), .string("abcdef"), .double(1)],
                                                                    [.integer(2), .null, .double(2)]])))
        let file = try #require(try await writer.close().first)
        #expect(file.fileName.hasPrefix("changelog-"))
        #expect(file.level == 3 && file.fileSource == .compact && file.deleteRowCount == 1)
        #expect(file.valueStatsCols == ["id", "s"])
        let stats = try SimpleStatsConverter(rowType: RowType(Array(fields.prefix(2)))).fromBinary(file.valueStats, valueStatsCols: nil)
        #expect(stats[1].min == .string("abc") && stats[1].max == .string("abd") && stats[1].nullCount == 1)
        #expect(stats[0].min == .integer(1) && stats[0].max == .integer(2))
    }

    @Test func thinModeAndPerLevelFormat() async throws {
        let scratch = try Scratch("thin")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let fields = [DataField(id: 0, name: "id", type: DataType(.int, nullable: false)), DataField(id: 1, name: "s", type: .string)]
        let table = try schema(fields, primaryKeys: ["id"], options: [
            "data-file.thin-mode": "true", "file.format.per.level": "0:avro,1:orc", "file.compression.per.level": "0:snappy",
            "data-file.prefix": "part-",
        ])
        let directory = try localPath(scratch.path + "/b")
        for (level, ext) in [(0, "avro"), (1, "orc"), (2, "parquet")] {
            let writer = try KeyValueFileWriter(io: io, directory: directory, schema: table, level: Int32(level))
            #expect(!writer.fileRowType.fieldNames.contains("_KEY_id"))
            try await writer.write(KeyValueBatch(sequenceNumbers: [0, 1], rowKinds: [.insert, .insert],
                                                 values: batch(fields, [[.integer(1), .string("a")], [.integer(2), .null]])))
            let file = try #require(try await writer.close().first)
            #expect(file.fileName.hasPrefix("part-") && file.fileName.hasSuffix("." + ext))
            let reader = try await DataFileReader.open(io: io, path: try directory.appending(file.fileName), file: file,
                                                       fileSchema: table, tableSchema: table, primaryKey: true)
            let read = try await reader.readAll()
            #expect(sameRows(read.flatMap { rowsOf($0.values) }, [[.integer(1), .string("a")], [.integer(2), .null]]))
        }
        #expect(try DataFileWriteFormat(options: CoreOptions(["file.format.per.level": "0:avro", "file.compression.per.level": "0:snappy"]),
                                        level: 0) == DataFileWriteFormat(format: .avro, compression: "snappy"))
        #expect(try DataFileWriteFormat(options: CoreOptions([:]), level: 0) == DataFileWriteFormat(format: .parquet, compression: "zstd", zstdLevel: 1))
        #expect(throws: TableError.self) { try DataFileWriteFormat(options: CoreOptions(["file.format": "lance"])) }
        #expect(try DataFileFormat(fileName: "data-x-0.zst.parquet") == .parquet)
        #expect(try DataFileFormat(fileName: "data-x-0.orc") == .orc)
        #expect(throws: TableError.self) { try DataFileFormat(fileName: "data-x-0") }
    }

    @Test func abortDeletesEverything() async throws {
        let scratch = try Scratch("abort")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let fields = [DataField(id: 0, name: "id", type: DataType(.int, nullable: false)), DataField(id: 1, name: "s", type: .string)]
        let table = try schema(fields, primaryKeys: ["id"], options: ["target-file-size": "1 b"])
        let directory = try localPath(scratch.path + "/b")
        let writer = try KeyValueFileWriter(io: io, directory: directory, schema: table)
        try await writer.write(KeyValueBatch(sequenceNumbers: [0, 1, 2], rowKinds: [.insert, .insert, .insert],
                                             values: batch(fields, (0..<3).map { [.integer(Int64($0)), .string("v")] })))
        #expect(writer.finishedFiles.count == 3, "one row per file at a 1-byte target")
        await writer.abort()
        let listing = try? await io.list(directory, options: ListOptions())
        let remaining = listing.map { $0.files.count } ?? 0
        #expect(remaining == 0)
        // A batch with the wrong columns is refused.
        let other = try KeyValueFileWriter(io: io, directory: directory, schema: table)
        await #expect(throws: TableError.self) {
            try await other.write(KeyValueBatch(sequenceNumbers: [0], rowKinds: [.insert],
                                                values: batch([fields[0]], [[.integer(1)]])))
        }
    }
}
