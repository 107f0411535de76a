import WeirColumnar
import WeirFileIO
import WeirPaimon

/// Writes rows of one (partition, bucket) of an append table as data files in `directory` (spec/paimon-format.md
/// section 8): exactly the table columns with their field ids, rolling at `target-file-size` (256 MiB by default),
/// and per file `DataFileMeta.forAppend`: empty min/max keys and key stats, level 0, no deletes, value stats as for
/// ``KeyValueFileWriter``, and sequence numbers from a counter that continues per bucket (one number per row,
/// starting at `nextSequenceNumber`).
public final class AppendFileWriter {
    private let core: RollingDataFileWriter
    /// The sequence number the next row gets.
    public private(set) var nextSequenceNumber: Int64

    public init(io: any FileIO, directory: StoragePath, schema: TableSchema, options: CoreOptions? = nil,
                nextSequenceNumber: Int64, fileSource: FileSource = .append, names: DataFileNames? = nil) throws(TableError) {
        core = try RollingDataFileWriter(io: io, directory: directory, schema: schema, options: options ?? schema.coreOptions,
                                         keyed: false, level: 0, fileSource: fileSource, changelog: false, names: names)
        self.nextSequenceNumber = nextSequenceNumber
    }

    /// The files finished so far.
    public var finishedFiles: [DataFileMeta] { core.finished }

    /// Appends rows (all table columns, in schema order).
    public func write(_ batch: ColumnBatch) async throws(TableError) {
        let n = Int64(batch.rowCount)
        let first = nextSequenceNumber
        let sequences = (0..<n).map { first + $0 }
        try await core.write(values: batch, sequences: sequences, kinds: Array(repeating: .insert, count: batch.rowCount))
        nextSequenceNumber += n
    }

    /// Finishes the last file and returns the metadata of every file written.
    public func close() async throws(TableError) -> [DataFileMeta] {
        try await core.close()
    }

    /// Discards everything written.
    public func abort() async {
        await core.abort()
    }
}
