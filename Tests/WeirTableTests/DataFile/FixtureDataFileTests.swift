import Foundation
import Testing
import WeirAvro
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

let fixtureExpected = URL(fileURLWithPath: PackageRoot.path + "/../shared/fixtures/pypaimon/expected").standardizedFileURL.path

/// What the test needs of a fixture table: its schemas and the data files its manifests add.
struct FixtureTable {
    var name: String
    var schemas: [Int64: TableSchema]
    var latest: TableSchema
    /// (path on disk, metadata) of every file an ADD entry names.
    var files: [(path: String, meta: DataFileMeta)]

    static func load(_ name: String) async throws -> FixtureTable {
        let root = fixtureDatabase + "/" + name
        var schemas: [Int64: TableSchema] = [:]
        for entry in try FileManager.default.contentsOfDirectory(atPath: root + "/schema") where entry.hasPrefix("schema-") {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/schema/" + entry)))
            let schema = try TableSchema(parsing: bytes)
            schemas[schema.id] = schema
        }
        let latest = schemas[schemas.keys.max()!]!
        // Data files on disk by name.
        var onDisk: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix("data-") { onDisk[name] = root + "/" + relative }
        }
        var files: [(String, DataFileMeta)] = []
        let io = LocalFileIO()
        for entry in try FileManager.default.contentsOfDirectory(atPath: root + "/manifest").sorted()
        where entry.hasPrefix("manifest-") && !entry.hasPrefix("manifest-list-") {
            let (type, batches) = try await AvroFile.readBatches(io: io, path: try localPath(root + "/manifest/" + entry))
            let kindIndex = try #require(type.index(of: "_KIND"))
            let fileIndex = try #require(type.index(of: "_FILE"))
            guard case .row(let fileFields) = type.fields[fileIndex].type.kind else { Issue.record("_FILE is not a record"); continue }
            func field(_ values: [Value], _ name: String) -> Value { values[fileFields.firstIndex { $0.name == name }!] }
            func int(_ v: Value) -> Int64 { if case .integer(let x) = v { return x }; return -1 }
            for batch in batches {
                for r in 0..<batch.rowCount {
                    guard batch.columns[kindIndex].value(at: r) == .integer(0),
                          case .row(let values) = batch.columns[fileIndex].value(at: r),
                          case .string(let fileName) = field(values, "_FILE_NAME") else { continue }
                    let meta = DataFileMeta(
                        fileName: fileName, fileSize: int(field(values, "_FILE_SIZE")), rowCount: int(field(values, "_ROW_COUNT")),
                        minKey: .emptyRow, maxKey: .emptyRow, keyStats: .emptyStats, valueStats: .emptyStats,
                        minSequenceNumber: int(field(values, "_MIN_SEQUENCE_NUMBER")),
                        maxSequenceNumber: int(field(values, "_MAX_SEQUENCE_NUMBER")), schemaId: int(field(values, "_SCHEMA_ID")),
                        level: Int32(int(field(values, "_LEVEL"))), creationTime: nil, deleteRowCount: nil, fileSource: nil,
                        valueStatsCols: nil)
                    let path = try #require(onDisk[fileName], "\(fileName) of \(name) is on disk")
                    files.append((path, meta))
                }
            }
        }
        return FixtureTable(name: name, schemas: schemas, latest: latest, files: files)
    }

    /// Every file read in the latest schema: (file, batches).
    func readAll() async throws -> [(meta: DataFileMeta, batches: [KeyValueBatch])] {
        var out: [(DataFileMeta, [KeyValueBatch])] = []
        for (path, meta) in files {
            let fileSchema = try #require(schemas[meta.schemaId])
            let reader = try await DataFileReader.open(io: LocalFileIO(), path: try localPath(path), file: meta, fileSchema: fileSchema,
                                                       tableSchema: latest, primaryKey: !latest.primaryKeys.isEmpty)
            out.append((meta, try await reader.readAll()))
        }
        return out
    }
}

/// The text pypaimon's fixture script writes for a value (`encode` in make_fixtures.py), numbers as doubles.
func expectedText(_ value: Value, _ type: DataType) -> String {
    switch value {
    case .null: return "null"
    case .boolean(let b): return b ? "1.0" : "0.0"
    case .integer(let x): return "\(Double(x))"
    case .float(let f): return "\(Double(f))"
    case .double(let d): return "\(d)"
    case .string(let s): return s
    case .bytes(let b): return b.map { String(format: "%02x", $0) }.joined()
    case .date(let days): return ColumnCast.dateText(days)
    case .decimal(let unscaled, let scale):
        let negative = unscaled < 0
        var digits = String(unscaled.magnitude)
        if scale > 0 {
            while digits.count <= scale { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    case .timestamp(let v):
        guard case .timestamp(let p) = type.kind else { return "\(v)" }
        let micros = p <= 3 ? v * 1000 : (p <= 6 ? v : v / 1000)
        let day = micros >= 0 ? micros / 86_400_000_000 : (micros - 86_399_999_999) / 86_400_000_000
        let ofDay = micros - day * 86_400_000_000
        let seconds = ofDay / 1_000_000
        return ColumnCast.dateText(Int32(day)) + String(format: "T%02d:%02d:%02d.%06d", Int(seconds / 3600), Int(seconds / 60 % 60),
                                                        Int(seconds % 60), Int(ofDay % 1_000_000))
    default: return "\(value)"
    }
}

func expectedRows(_ table: String, columns: [String]) throws -> [[String]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: fixtureExpected + "/" + table + ".json"))
    let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    return rows.map { row in
        columns.map { c in
            switch row[c] {
            case nil, is NSNull: return "null"
            case let s as String: return s
            case let n as NSNumber: return "\(n.doubleValue)"
            case let other?: return "\(other)"
            }
        }
    }
}

@Suite struct FixtureDataFileTests {
    static let tables = ["append_basic", "append_fixed_bucket", "append_schema_evolution", "fmt_avro", "fmt_orc", "fmt_parquet",
                         "pk_aggregation", "pk_dynamic_bucket", "pk_first_row", "pk_partial_update", "pk_partitioned"]

    @Test(arguments: tables) func everyDataFileReads(table: String) async throws {
        let fixture = try await FixtureTable.load(table)
        #expect(!fixture.files.isEmpty)
        let primaryKey = !fixture.latest.primaryKeys.isEmpty
        for (meta, batches) in try await fixture.readAll() {
            #expect(Int64(batches.reduce(0) { $0 + $1.rowCount }) == meta.rowCount, "\(meta.fileName)")
            if !primaryKey {
                // Append files: min + row (pypaimon writes min = max for a file of many rows, so not within the range).
                #expect(batches.flatMap(\.sequenceNumbers) == (0..<meta.rowCount).map { meta.minSequenceNumber + $0 })
            }
            for b in batches {
                try b.values.validate()
                #expect(b.values.schema == fixture.latest.logicalRowType)
                if primaryKey {
                    #expect(b.sequenceNumbers.allSatisfy { (meta.minSequenceNumber...meta.maxSequenceNumber).contains($0) })
                } else {
                    #expect(b.rowKinds.allSatisfy { $0 == .insert })
                }
                // Primary-key columns are never null.
                for key in fixture.latest.primaryKeys {
                    #expect(b.values.columns[fixture.latest.logicalRowType.index(of: key)!].nullCount == 0)
                }
            }
        }
    }

    /// Append tables: the union of the files is the expected table (all types, and schema evolution read through
    /// the latest schema: renamed column found by id, added column null).
    @Test(arguments: ["append_basic", "append_schema_evolution", "append_fixed_bucket"]) func appendTablesMatchExpected(table: String) async throws {
        let fixture = try await FixtureTable.load(table)
        let type = fixture.latest.logicalRowType
        var rows: [[String]] = []
        for (_, batches) in try await fixture.readAll() {
            for b in batches {
                for row in rowsOf(b.values) { rows.append(zip(row, type.fields).map { expectedText($0, $1.type) }) }
            }
        }
        let idIndex = type.index(of: "id")!
        rows.sort { Double($0[idIndex])! < Double($1[idIndex])! }
        let expected = try expectedRows(table, columns: type.fieldNames)
        #expect(rows == expected)
    }

    /// Deduplicate tables: the newest record per key (by sequence number), retractions dropped, is the expected table.
    @Test(arguments: ["fmt_parquet", "fmt_orc", "fmt_avro", "pk_dynamic_bucket"]) func deduplicateTablesMatchExpected(table: String) async throws {
        let fixture = try await FixtureTable.load(table)
        let type = fixture.latest.logicalRowType
        var newest: [String: (sequence: Int64, kind: RowKind, row: [String])] = [:]
        for (_, batches) in try await fixture.readAll() {
            for b in batches {
                for (i, row) in rowsOf(b.values).enumerated() {
                    let text = zip(row, type.fields).map { expectedText($0, $1.type) }
                    let key = text[type.index(of: "id")!]
                    if let old = newest[key], old.sequence > b.sequenceNumbers[i] { continue }
                    newest[key] = (b.sequenceNumbers[i], b.rowKinds[i], text)
                }
            }
        }
        let idIndex = type.index(of: "id")!
        let rows = newest.values.filter { $0.kind.isAdd }.map(\.row).sorted { Double($0[idIndex])! < Double($1[idIndex])! }
        #expect(rows == (try expectedRows(table, columns: type.fieldNames)))
    }
}
