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
    /// A Parquet input is split by row groups: consecutive row groups go to one `ingest-split` task until it holds
    /// at least this many rows (default ``splitRowsDefault``). A file of one such run, and every JSONL or CSV
    /// file, is one task.
    public var splitRowsMin: Int?
    /// How rows reach their buckets: `direct`, `shuffle`, or nil / `auto` (direct when it can be, else shuffle).
    /// See ``IngestMode``.
    public var mode: String?

    public static let writeTasksMax = 256
    public static let splitRowsDefault = 250_000

    public init(warehouse: String, table: String, inputs: [String], format: String? = nil, opColumn: String? = nil, writeTasks: Int? = nil,
                splitRowsMin: Int? = nil, mode: String? = nil) {
        self.warehouse = warehouse
        self.table = table
        self.inputs = inputs
        self.format = format
        self.opColumn = opColumn
        self.writeTasks = writeTasks
        self.splitRowsMin = splitRowsMin
        self.mode = mode
    }
}

/// Stage 1 of an ingest (`ingest-split`): one input file, or a range of row groups of a Parquet input, read and cut
/// by write group into staging files.
struct IngestSplitSpec: Codable, Sendable, Equatable {
    var warehouse: String
    var table: String
    var schemaId: Int64
    var input: String
    var format: String?
    /// Only these row groups of a Parquet input; nil: the whole file.
    var rowGroups: Range<Int>?
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

/// A direct ingest task (`ingest-direct`): consecutive parts of the job's inputs, written straight to level-0 files.
struct IngestDirectSpec: Codable, Sendable, Equatable {
    struct Part: Codable, Sendable, Equatable {
        var input: String
        /// Only these row groups of the Parquet input; nil: the whole file.
        var rowGroups: Range<Int>?
        /// The position of the part's first row among all rows of the job's inputs, in input order.
        var firstPosition: Int64
        /// Rows in the part, as the input's footer said when the job was planned.
        var rows: Int64
    }

    var warehouse: String
    var table: String
    var schemaId: Int64
    var parts: [Part]
    var opColumn: String
    /// The sequence number of position 0 (the table's next sequence number when the job was planned).
    var sequenceBase: Int64
    var commitUser: String
}
