import Synchronization
import struct Foundation.Date

/// An in-memory store (`memory://volume/key`) for tests and scratch work; one instance holds many volumes.
///
/// Behaves like an object store with atomic create-if-absent and atomic rename: every change is made under
/// one lock, so a writer's close either publishes all of its bytes or nothing. Directories are implied by
/// keys (``mkdirs(_:)`` leaves nothing behind). Limit: the whole store holds at most ``bytesMax`` bytes.
public final class MemoryFileIO: FileIO {
    struct Object {
        var bytes: [UInt8]
        var modified: Double
        var etag: String
    }

    public let bytesMax: Int64
    private let objects = Mutex<(byVolume: [String: [String: Object]], totalBytes: Int64, version: UInt64)>(([:], 0, 0))

    /// - Parameter bytesMax: the most bytes all volumes may hold together (default 4 GiB).
    public init(bytesMax: Int64 = 4 << 30) {
        self.bytesMax = bytesMax
    }

    public var capabilities: FileIOCapabilities {
        FileIOCapabilities(atomicCreateIfAbsent: true, rename: true, directories: false)
    }

    public func status(_ path: StoragePath) async throws -> FileStatus {
        try Self.checkScheme(path)
        return try objects.withLock { state throws(FileIOError) in
            let volume = state.byVolume[path.authority] ?? [:]
            if let object = volume[path.key] {
                return FileStatus(path: path, size: Int64(object.bytes.count), isDirectory: false,
                                  modified: Date(timeIntervalSince1970: object.modified), etag: object.etag)
            }
            let prefix = path.key.isEmpty ? "" : path.key + "/"
            if path.isRoot || volume.keys.contains(where: { $0.hasPrefix(prefix) }) {
                return FileStatus(path: path, size: 0, isDirectory: true)
            }
            throw FileIOError(.notFound, path: path, "no such object")
        }
    }

    public func openForReading(_ path: StoragePath) async throws -> any ReadableFile {
        let status = try await status(path)
        guard !status.isDirectory else { throw FileIOError(.isDirectory, path: path, "is a directory") }
        let bytes = try objects.withLock { state throws(FileIOError) in
            guard let object = state.byVolume[path.authority]?[path.key] else {
                throw FileIOError(.notFound, path: path, "no such object")
            }
            return object.bytes
        }
        return MemoryReadableFile(path: path, bytes: bytes)
    }

    public func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile {
        try Self.checkScheme(path)
        guard !path.isRoot else { throw FileIOError(.isDirectory, path: path, "cannot write to the root") }
        if !overwrite, (try? await status(path)) != nil {
            throw FileIOError(.alreadyExists, path: path, "already exists")
        }
        return MemoryWritableFile(path: path, overwrite: overwrite, store: self)
    }

    public func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage {
        try Self.checkScheme(directory)
        try options.validate(for: directory)
        let prefix = directory.key.isEmpty ? "" : directory.key + "/"
        let files: [ListingPager.Entry] = objects.withLock { state in
            (state.byVolume[directory.authority] ?? [:]).compactMap { key, object in
                guard key.hasPrefix(prefix) else { return nil }
                return .init(relativeKey: String(key.dropFirst(prefix.count)), size: Int64(object.bytes.count),
                             modified: object.modified, etag: object.etag)
            }
        }
        return try ListingPager.page(directory: directory, files: files, options: options)
    }

    public func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool {
        try Self.checkScheme(path)
        return try objects.withLock { state throws(FileIOError) in
            var volume = state.byVolume[path.authority] ?? [:]
            defer { state.byVolume[path.authority] = volume }
            if let removed = volume.removeValue(forKey: path.key) {
                state.totalBytes -= Int64(removed.bytes.count)
                return true
            }
            let prefix = path.key.isEmpty ? "" : path.key + "/"
            let below = volume.keys.filter { $0.hasPrefix(prefix) }
            if below.isEmpty { return false }
            guard recursive else { throw FileIOError(.io, path: path, "directory not empty (delete it recursively)") }
            for key in below {
                state.totalBytes -= Int64(volume.removeValue(forKey: key)!.bytes.count)
            }
            return true
        }
    }

    public func rename(_ source: StoragePath, to target: StoragePath) async throws {
        try Self.checkScheme(source)
        try Self.checkScheme(target)
        try objects.withLock { state throws(FileIOError) in
            guard let object = state.byVolume[source.authority]?[source.key] else {
                throw FileIOError(.notFound, path: source, "no such object to rename")
            }
            guard state.byVolume[target.authority]?[target.key] == nil else {
                throw FileIOError(.alreadyExists, path: target, "rename target exists")
            }
            state.byVolume[source.authority]?[source.key] = nil
            state.byVolume[target.authority, default: [:]][target.key] = object
        }
    }

    public func mkdirs(_ path: StoragePath) async throws {
        try Self.checkScheme(path)
        if objects.withLock({ $0.byVolume[path.authority]?[path.key] }) != nil {
            throw FileIOError(.notDirectory, path: path, "is a file")
        }
    }

    /// Publishes a finished writer's bytes: the single commit point of ``MemoryWritableFile``.
    func publish(_ path: StoragePath, bytes: [UInt8], overwrite: Bool) throws(FileIOError) {
        try objects.withLock { state throws(FileIOError) in
            let previous = state.byVolume[path.authority]?[path.key]
            if !overwrite, previous != nil { throw FileIOError(.alreadyExists, path: path, "already exists") }
            let delta = Int64(bytes.count) - Int64(previous?.bytes.count ?? 0)
            guard state.totalBytes + delta <= bytesMax else {
                throw FileIOError(.tooLarge, path: path, "the memory store would exceed its \(bytesMax)-byte limit")
            }
            state.version += 1
            state.totalBytes += delta
            state.byVolume[path.authority, default: [:]][path.key] = Object(
                bytes: bytes, modified: Date().timeIntervalSince1970, etag: "m\(state.version)")
        }
    }

    static func checkScheme(_ path: StoragePath) throws(FileIOError) {
        guard path.scheme == "memory" else {
            throw FileIOError(.unsupported, path: path, "the memory store serves memory:// paths only")
        }
    }
}

final class MemoryReadableFile: ReadableFile {
    let path: StoragePath
    private let bytes: [UInt8]
    var size: Int64 { Int64(bytes.count) }

    init(path: StoragePath, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    func read(at offset: Int64, count: Int) async throws -> [UInt8] {
        guard offset >= 0, count >= 0 else {
            throw FileIOError(.invalidArgument, path: path, "read at \(offset) of \(count) bytes")
        }
        guard offset < size else { return [] }
        let start = Int(offset)
        return Array(bytes[start..<min(bytes.count, start + count)])
    }

    func close() async {}
}

final class MemoryWritableFile: WritableFile {
    let path: StoragePath
    private let overwrite: Bool
    private let store: MemoryFileIO
    private let state = Mutex<(bytes: [UInt8], finished: Bool)>(([], false))

    init(path: StoragePath, overwrite: Bool, store: MemoryFileIO) {
        self.path = path
        self.overwrite = overwrite
        self.store = store
    }

    func write(_ bytes: [UInt8]) async throws {
        try state.withLock { s throws(FileIOError) in
            guard !s.finished else { throw FileIOError(.invalidArgument, path: path, "write after close or abort") }
            guard Int64(s.bytes.count + bytes.count) <= store.bytesMax else {
                throw FileIOError(.tooLarge, path: path, "larger than the memory store's \(store.bytesMax)-byte limit")
            }
            s.bytes += bytes
        }
    }

    func close() async throws {
        let bytes = try state.withLock { s throws(FileIOError) in
            guard !s.finished else { throw FileIOError(.invalidArgument, path: path, "close after close or abort") }
            s.finished = true
            defer { s.bytes = [] }
            return s.bytes
        }
        try store.publish(path, bytes: bytes, overwrite: overwrite)
    }

    func abort() async {
        state.withLock { s in
            s.finished = true
            s.bytes = []
        }
    }
}
