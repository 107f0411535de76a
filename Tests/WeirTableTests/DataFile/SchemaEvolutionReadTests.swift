import Foundation
import Testing
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

@Suite struct SchemaEvolutionReadTests {
    static let oldFields = [
        DataField(id: 0, name: "id", type: DataType(.int, nullable: false)),
        DataField(id: 1, name: "name", type: .string),
        DataField(id: 2, name: "gone", type: DataType(.double)),
        DataField(id: 3, name: "small", type: DataType(.tinyint)),
        DataField(id: 4, name: "price", type: DataType(.decimal(precision: 5, scale: 2))),
        DataField(id: 5, name: "ratio", type: DataType(.float)),
        DataField(id: 6, name: "n", type: DataType(.int)),
        DataField(id: 7, name: "ts", type: DataType(.timestamp(precision: 3))),
    ]
    static let newFields = [
        DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)),          // INT → BIGINT
        DataField(id: 8, name: "added", type: .string),                                   // added
        DataField(id: 1, name: "full_name", type: .string),                               // renamed
        DataField(id: 3, name: "small", type: DataType(.int)),                            // TINYINT → INT
        DataField(id: 4, name: "price", type: DataType(.decimal(precision: 20, scale: 3))), // wider decimal (int128)
        DataField(id: 5, name: "ratio", type: DataType(.double)),                         // FLOAT → DOUBLE
        DataField(id: 6, name: "n", type: DataType(.double)),                             // INT → DOUBLE
        DataField(id: 7, name: "ts", type: DataType(.timestamp(precision: 6))),           // millis → micros
        DataField(id: 2_000, name: "gone", type: DataType(.int)),                         // same name, another id: not the old column
    ]

    @Test(arguments: DataFileFormat.allCases) func readsOldFilesInTheNewSchema(format: DataFileFormat) async throws {
        let scratch = try Scratch("evolution")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let old = try TableSchema(id: 0, fields: Self.oldFields, highestFieldId: 7, partitionKeys: [], primaryKeys: ["id"],
                                  options: ["file.format": format.rawValue], timeMillis: 0)
        let new = try TableSchema(id: 1, fields: Self.newFields, highestFieldId: 2_000, partitionKeys: [], primaryKeys: ["id"],
                                  options: ["file.format": format.rawValue], timeMillis: 0)
        let directory = try localPath(scratch.path + "/b")
        let writer = try KeyValueFileWriter(io: io, directory: directory, schema: old)
        let rows: [[Value]] = [
            [.integer(1), .string("a"), .double(1.5), .integer(-7), .decimal(unscaled: 12345, scale: 2), .float(0.5), .integer(3), .timestamp(1_700_000_000_123)],
            [.integer(2), .null, .null, .null, .null, .null, .null, .null],
        ]
        try await writer.write(KeyValueBatch(sequenceNumbers: [5, 6], rowKinds: [.insert, .updateAfter], values: batch(Self.oldFields, rows)))
        let file = try #require(try await writer.close().first)
        let path = try directory.appending(file.fileName)
        let reader = try await DataFileReader.open(io: io, path: path, file: file, fileSchema: old, tableSchema: new, primaryKey: true)
        let read = try await reader.readAll()
        #expect(read.count == 1)
        let batch = try #require(read.first)
        #expect(batch.values.schema == new.logicalRowType)
        #expect(batch.sequenceNumbers == [5, 6] && batch.rowKinds == [.insert, .updateAfter])
        let expected: [[Value]] = [
            [.integer(1), .null, .string("a"), .integer(-7), .decimal(unscaled: 123_450, scale: 3), .double(0.5), .double(3),
             .timestamp(1_700_000_000_123_000), .null],
            [.integer(2), .null, .null, .null, .null, .null, .null, .null, .null],
        ]
        #expect(rowsOf(batch.values) == expected)

        // A projection reads only what it names, in its order.
        let projected = try await DataFileReader.open(io: io, path: path, file: file, fileSchema: old, tableSchema: new,
                                                      projection: [2, 0], primaryKey: true)
        let p = try await projected.readAll()
        #expect(p.flatMap { rowsOf($0.values) } == [[.string("a"), .integer(1)], [.null, .integer(2)]])
        // Only a column the file lacks: nulls, one per row.
        let onlyAdded = try await DataFileReader.open(io: io, path: path, file: file, fileSchema: old, tableSchema: new,
                                                      projection: [1], primaryKey: false)
        let a = try await onlyAdded.readAll()
        #expect(a.flatMap { rowsOf($0.values) } == [[.null], [.null]])
        #expect(a.flatMap(\.sequenceNumbers) == [file.minSequenceNumber, file.minSequenceNumber + 1])
    }

    @Test func appendFilesGetSequenceNumbersFromTheirMetadata() async throws {
        let scratch = try Scratch("appendseq")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let fields = [DataField(id: 0, name: "x", type: DataType(.int))]
        let schema = try TableSchema(id: 0, fields: fields, highestFieldId: 0, partitionKeys: [], primaryKeys: [], options: [:], timeMillis: 0)
        let writer = try AppendFileWriter(io: io, directory: try localPath(scratch.path + "/b"), schema: schema, nextSequenceNumber: 10)
        try await writer.write(batch(fields, (0..<5).map { [.integer(Int64($0))] }))
        let file = try #require(try await writer.close().first)
        #expect(file.minSequenceNumber == 10 && file.maxSequenceNumber == 14)
        let reader = try await DataFileReader.open(io: io, path: try localPath(scratch.path + "/b/" + file.fileName), file: file,
                                                   fileSchema: schema, tableSchema: schema, primaryKey: false)
        let read = try await reader.readAll()
        #expect(read.flatMap(\.sequenceNumbers) == [10, 11, 12, 13, 14])
    }
}

@Suite struct BadDataFileTests {
    static let fields = [DataField(id: 0, name: "id", type: DataType(.int, nullable: false)), DataField(id: 1, name: "s", type: .string)]

    func written(_ format: DataFileFormat, primaryKey: Bool, scratch: Scratch) async throws -> (TableSchema, DataFileMeta, StoragePath) {
        let io = LocalFileIO()
        let schema = try TableSchema(id: 0, fields: Self.fields, highestFieldId: 1, partitionKeys: [],
                                     primaryKeys: primaryKey ? ["id"] : [], options: ["file.format": format.rawValue], timeMillis: 0)
        let directory = try localPath(scratch.path + "/b")
        let values = batch(Self.fields, (0..<50).map { [.integer(Int64($0)), .string("value \($0)")] })
        let file: DataFileMeta
        if primaryKey {
            let writer = try KeyValueFileWriter(io: io, directory: directory, schema: schema)
            try await writer.write(KeyValueBatch(sequenceNumbers: (0..<50).map { Int64($0) }, rowKinds: Array(repeating: .insert, count: 50),
                                                 values: values))
            file = try #require(try await writer.close().first)
        } else {
            let writer = try AppendFileWriter(io: io, directory: directory, schema: schema, nextSequenceNumber: 0)
            try await writer.write(values)
            file = try #require(try await writer.close().first)
        }
        return (schema, file, try directory.appending(file.fileName))
    }

    @Test(arguments: DataFileFormat.allCases) func truncatedFileIsCorruptAndNamed(format: DataFileFormat) async throws {
        let scratch = try Scratch("truncated")
        defer { scratch.remove() }
        let (schema, file, path) = try await written(format, primaryKey: true, scratch: scratch)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path.localPath))
        try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: path.localPath))
        do {
            let reader = try await DataFileReader.open(io: LocalFileIO(), path: path, file: file, fileSchema: schema, tableSchema: schema,
                                                       primaryKey: true)
            _ = try await reader.readAll()
            Issue.record("a truncated \(format) file read without error")
        } catch {
            #expect(error.kind == .corrupt, "\(error)")
            #expect(error.description.contains(file.fileName), "\(error)")
        }
    }

    @Test(arguments: DataFileFormat.allCases) func missingSystemColumnIsCorrupt(format: DataFileFormat) async throws {
        let scratch = try Scratch("nosystem")
        defer { scratch.remove() }
        // An append-layout file read as a primary-key file has no _SEQUENCE_NUMBER / _VALUE_KIND.
        let (schema, file, path) = try await written(format, primaryKey: false, scratch: scratch)
        do {
            let reader = try await DataFileReader.open(io: LocalFileIO(), path: path, file: file, fileSchema: schema, tableSchema: schema,
                                                       primaryKey: true)
            _ = try await reader.readAll()
            Issue.record("a file without system columns read as a primary-key file")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.description.contains(file.fileName) && error.description.contains("_SEQUENCE_NUMBER"), "\(error)")
        }
    }

    @Test func rowCountMismatchAndMissingFile() async throws {
        let scratch = try Scratch("rowcount")
        defer { scratch.remove() }
        let (schema, file, path) = try await written(.avro, primaryKey: true, scratch: scratch)
        var wrong = file
        wrong.rowCount = 49
        await #expect(throws: TableError.self) {
            let reader = try await DataFileReader.open(io: LocalFileIO(), path: path, file: wrong, fileSchema: schema,
                                                       tableSchema: schema, primaryKey: true)
            _ = try await reader.readAll()
        }
        var missing = file
        missing.fileName = "data-00000000-0000-0000-0000-000000000000-9.parquet"
        let missingPath = try localPath(scratch.path + "/b/" + missing.fileName)
        do {
            _ = try await DataFileReader.open(io: LocalFileIO(), path: missingPath, file: missing,
                                              fileSchema: schema, tableSchema: schema, primaryKey: true)
            Issue.record("a missing file opened")
        } catch {
            #expect(error.kind == .notFound)
        }
    }
}

@Suite struct DataFileReaderSequenceTests {
    @Test func iteratesWithForTryAwait() async throws {
        let scratch = try Scratch("sequence")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let fields = [DataField(id: 0, name: "x", type: DataType(.int))]
        let schema = try TableSchema(id: 0, fields: fields, highestFieldId: 0, partitionKeys: [], primaryKeys: [], options: [:], timeMillis: 0)
        let writer = try AppendFileWriter(io: io, directory: try localPath(scratch.path + "/b"), schema: schema, nextSequenceNumber: 0)
        try await writer.write(batch(fields, (0..<3).map { [.integer(Int64($0))] }))
        let file = try #require(try await writer.close().first)
        let reader = try await DataFileReader.read(io: io, path: try localPath(scratch.path + "/b/" + file.fileName), file: file,
                                                   fileSchema: schema, tableSchema: schema, primaryKey: false)
        var rows = 0
        for try await batch in reader { rows += batch.rowCount }
        #expect(rows == 3)
    }
}
