import Foundation

/// The storage interface every part of Weir reads and writes through; it mirrors what Paimon's
/// `org.apache.paimon.fs.FileIO` needs (spec/object-stores.md section 5), shaped for object stores.
///
/// Contracts every implementation keeps (the suite in `Tests/WeirFileIOTests/FileIOContractTests.swift`
/// checks them on each backend):
/// - **Visibility**: what ``create(_:overwrite:)`` writes becomes visible only when ``WritableFile/close()``
///   succeeds, all at once; after ``WritableFile/abort()`` or a failed close nothing new is visible.
/// - **Create-if-absent**: with `overwrite == false` a create fails with ``FileIOError/Kind/alreadyExists`` if
///   anything is at the path and leaves it unchanged. It is atomic against concurrent creators exactly when
///   ``capabilities`` says ``FileIOCapabilities/atomicCreateIfAbsent``; otherwise callers that need atomicity
///   (snapshot commits) take a lock elsewhere.
/// - **Directories** are implied by keys: listing and status treat a key prefix followed by `/` as a directory;
///   ``mkdirs(_:)`` need not leave anything behind on object stores.
/// - **Listing** returns entries in ascending byte order of key, at most ``ListOptions/limit`` per page.
/// - **Errors** are always ``FileIOError``, naming the path.
public protocol FileIO: Sendable {
    /// What this store guarantees beyond the basic contract.
    var capabilities: FileIOCapabilities { get }

    /// Size and kind of what is at `path`; ``FileIOError/Kind/notFound`` when nothing is.
    func status(_ path: StoragePath) async throws -> FileStatus

    /// Opens a file for ranged and sequential reads. Fails with `notFound` or `isDirectory`.
    func openForReading(_ path: StoragePath) async throws -> any ReadableFile

    /// Starts writing a file; see the type's contract for visibility and create-if-absent.
    /// Missing parent directories are created where the store has directories.
    func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile

    /// One page of the entries under the directory `directory` (see ``ListOptions``).
    func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage

    /// Deletes a file, or with `recursive` a directory and everything under it.
    /// Returns false when nothing was there. A non-empty directory without `recursive` is an error.
    func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool

    /// Renames a file; fails with `alreadyExists` if `target` exists and with `unsupported` where
    /// ``FileIOCapabilities/rename`` is false.
    func rename(_ source: StoragePath, to target: StoragePath) async throws

    /// Makes sure `path` is a directory (creating parents); succeeds if it already is one.
    func mkdirs(_ path: StoragePath) async throws
}

/// What a store guarantees beyond the basic ``FileIO`` contract.
public struct FileIOCapabilities: Sendable, Equatable {
    /// Create-if-absent is atomic against concurrent creators (O_EXCL/link(2), S3 `If-None-Match: *`).
    public var atomicCreateIfAbsent: Bool
    /// ``FileIO/rename(_:to:)`` is available.
    public var rename: Bool
    /// The store has real directories (empty ones can exist).
    public var directories: Bool

    public init(atomicCreateIfAbsent: Bool, rename: Bool, directories: Bool) {
        self.atomicCreateIfAbsent = atomicCreateIfAbsent
        self.rename = rename
        self.directories = directories
    }
}

/// What ``FileIO/status(_:)`` and listings report.
public struct FileStatus: Sendable, Equatable {
    public var path: StoragePath
    /// Bytes; 0 for directories.
    public var size: Int64
    public var isDirectory: Bool
    /// Last modification, where the store reports one.
    public var modified: Date?
    /// The store's version tag (S3 ETag without quotes), where it has one.
    public var etag: String?

    public init(path: StoragePath, size: Int64, isDirectory: Bool, modified: Date? = nil, etag: String? = nil) {
        self.path = path
        self.size = size
        self.isDirectory = isDirectory
        self.modified = modified
        self.etag = etag
    }
}

/// How to list a directory.
public struct ListOptions: Sendable, Equatable {
    /// The most entries one page may hold.
    public static let limitMax = 1000

    /// True: every file below the directory, at any depth, and no directory entries.
    /// False: the direct children, files as ``ListPage/files`` and subdirectories as ``ListPage/directories``
    /// (S3: `Delimiter=/`).
    public var recursive: Bool
    /// Only entries whose path relative to the directory starts with this (S3: appended to `Prefix`).
    public var namePrefix: String
    /// The continuation token of the previous page, or nil for the first page.
    public var pageToken: String?
    /// The most entries (files plus directories) in this page, 1 to ``limitMax``.
    public var limit: Int
    /// True: also list writers' unpublished temporary files (on the local file system `.weir-tmp-*` beside the
    /// target), which a writer killed before ``WritableFile/close()`` leaves behind; for orphan clean-up. Stores
    /// whose writers leave no such files ignore it.
    public var includeWriterTemporaries: Bool

    public init(recursive: Bool = false, namePrefix: String = "", pageToken: String? = nil, limit: Int = ListOptions.limitMax,
                includeWriterTemporaries: Bool = false) {
        self.recursive = recursive
        self.namePrefix = namePrefix
        self.pageToken = pageToken
        self.limit = limit
        self.includeWriterTemporaries = includeWriterTemporaries
    }

    /// Checks the options, naming `directory` in the error.
    public func validate(for directory: StoragePath) throws(FileIOError) {
        guard (1...Self.limitMax).contains(limit) else {
            throw FileIOError(.invalidArgument, path: directory, "list limit \(limit) is outside 1...\(Self.limitMax)")
        }
        if namePrefix.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            throw FileIOError(.invalidArgument, path: directory, "the name prefix holds a control character")
        }
    }
}

/// One page of a listing: entries in ascending byte order of key.
public struct ListPage: Sendable, Equatable {
    public var files: [FileStatus]
    public var directories: [StoragePath]
    /// Pass as ``ListOptions/pageToken`` to get the next page; nil on the last page.
    public var nextPageToken: String?

    public init(files: [FileStatus], directories: [StoragePath], nextPageToken: String?) {
        self.files = files
        self.directories = directories
        self.nextPageToken = nextPageToken
    }
}

/// An open file for reading. Not for concurrent use by several tasks at once.
public protocol ReadableFile: AnyObject, Sendable {
    var path: StoragePath { get }
    /// The size in bytes when the file was opened.
    var size: Int64 { get }
    /// Reads `min(count, size - offset)` bytes starting at `offset` (empty at or past the end).
    /// A store that returns fewer bytes than that throws ``FileIOError/Kind/truncated``.
    /// Sequential calls are served from one streaming request where the store allows it.
    func read(at offset: Int64, count: Int) async throws -> [UInt8]
    /// Releases the connection or descriptor; further reads fail.
    func close() async
}

/// A file being written. Writes are buffered or staged; nothing is visible until ``close()`` succeeds.
/// Not for concurrent use by several tasks at once.
public protocol WritableFile: AnyObject, Sendable {
    var path: StoragePath { get }
    /// Appends bytes.
    func write(_ bytes: [UInt8]) async throws
    /// Makes everything written visible at ``path`` at once (durably on local disk: fsync of file and directory).
    /// With create-if-absent, fails with ``FileIOError/Kind/alreadyExists`` if the path is taken; then nothing
    /// written is visible. Either way the writer is finished afterwards.
    func close() async throws
    /// Discards everything written; nothing becomes visible. Safe to call more than once or after a failed close.
    func abort() async
}
