import WeirColumnar
import WeirFileIO
import WeirPaimon

/// Writes the sorted records of one (partition, bucket) of a primary-key table as data files (or changelog files)
/// in `directory` (spec/paimon-format.md sections 7.1, 7.2, 4.4, 4.7), Java's `KeyValueDataFileWriter` with its
/// rolling writer:
///
/// - columns `_KEY_<k>…` (field id 1073741823 + id(k); left out with `data-file.thin-mode`), `_SEQUENCE_NUMBER`
///   (id 2147483646), `_VALUE_KIND` (id 2147483645), then every table column with its field id;
/// - format and codec from `file.format`/`file.compression` (per level too); a new file once the current one reaches
///   `target-file-size` (128 MiB by default for primary-key tables); names `data-<uuid>-<n>.<fmt>` (`changelog-`
///   for changelog files) from ``DataFileNames``;
/// - per file a ``DataFileMeta``: exact size, rows, the trimmed primary key of the first and last row as BinaryRows,
///   key stats (truncate(128), all columns), value stats in `metadata.stats-mode` (per column `fields.<f>.stats-mode`)
///   stored dense when `metadata.stats-dense-store`, min/max sequence number, schema id, level, no extra files,
///   creation time (local wall clock as UTC), the count of -U/-D rows, the file source.
///
/// Records must come in key order (the caller sorts and merges); keys should be unique per file above level 0, as
/// every Java writer makes them. A failed write leaves nothing: ``abort()`` deletes the files written so far.
public final class KeyValueFileWriter {
    private let core: RollingDataFileWriter

    /// - Parameters:
    ///   - directory: the bucket directory the files go to.
    ///   - options: the table options (default: the schema's).
    ///   - names: shared by every writer of this (partition, bucket) so file counters continue (a new UUID when nil).
    public init(io: any FileIO, directory: StoragePath, schema: TableSchema, options: CoreOptions? = nil, level: Int32 = 0,
                fileSource: FileSource = .append, changelog: Bool = false, names: DataFileNames? = nil) throws(TableError) {
        core = try RollingDataFileWriter(io: io, directory: directory, schema: schema, options: options ?? schema.coreOptions,
                                         keyed: true, level: level, fileSource: fileSource, changelog: changelog, names: names)
    }

    /// The physical columns of the files (system columns and table columns with Java's field ids).
    public var fileRowType: RowType { core.physicalType }

    /// The files finished so far.
    public var finishedFiles: [DataFileMeta] { core.finished }

    /// Appends records (values in the table's schema, all columns) in key order.
    public func write(_ batch: KeyValueBatch) async throws(TableError) {
        try await core.write(values: batch.values, sequences: batch.sequenceNumbers, kinds: batch.rowKinds)
    }

    /// Finishes the last file and returns the metadata of every file written.
    public func close() async throws(TableError) -> [DataFileMeta] {
        try await core.close()
    }

    /// Discards everything: the open file and the files already finished are deleted.
    public func abort() async {
        await core.abort()
    }
}
