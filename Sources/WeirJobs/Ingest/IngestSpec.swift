/// What `weir submit ingest` asks for (the job spec of kind `ingest`).
public struct IngestSpec: Codable, Sendable, Equatable {
    /// The warehouse URI (file://, s3://) every process opens with its own FileIO configuration.
    public var warehouse: String
    /// `db.table`.
    public var table: String
    /// Input files (JSONL, CSV or Parquet), in order: rows later in the list count as later for the merge.
    public var inputs: [String]
    /// `jsonl`, `csv` or `parquet`; nil: each file's magic or extension.
    public var format: String?
    /// The input column with row kinds (`_op` by default).
    public var opColumn: String?
    /// How many write tasks the buckets are spread over (default: one per bucket of a fixed-bucket table, at most
    /// ``writeTasksMax``; 1 for unaware-bucket append tables).
    public var writeTasks: Int?

    public static let writeTasksMax = 256

    public init(warehouse: String, table: String, inputs: [String], format: String? = nil, opColumn: String? = nil, writeTasks: Int? = nil) {
        self.warehouse = warehouse
        self.table = table
        self.inputs = inputs
        self.format = format
        self.opColumn = opColumn
        self.writeTasks = writeTasks
    }
}

/// Stage 1 of an ingest (`ingest-split`): one input file, read and cut by write group into staging files.
struct IngestSplitSpec: Codable, Sendable, Equatable {
    var warehouse: String
    var table: String
    var schemaId: Int64
    var input: String
    var format: String?
    var opColumn: String
    var splitIndex: Int
    var groups: Int
    /// Directory (URI) of the job's staging files.
    var staging: String
}

/// What an `ingest-split` task returns: rows read and rows per write group.
struct IngestSplitResult: Codable, Sendable, Equatable {
    var rows: Int
    var rowsByGroup: [Int: Int]
}

/// Stage 2 of an ingest (`ingest-write`): one write group's staging files, in split order, written as data files.
struct IngestWriteSpec: Codable, Sendable, Equatable {
    var warehouse: String
    var table: String
    var schemaId: Int64
    var staging: String
    var group: Int
    var splits: [Int]
    var commitUser: String
}
