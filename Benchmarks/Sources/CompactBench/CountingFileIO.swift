import Synchronization
import WeirFileIO

/// A ``FileIO`` that forwards every call to `base` and counts the data files (`data-*` names) opened for reading,
/// for counting the files a point lookup opens (the engine keeps no such counter).
final class CountingFileIO: FileIO {
    let base: any FileIO
    private let opened = Atomic<Int>(0)

    init(base: any FileIO) { self.base = base }

    /// Data files opened for reading since the last call; resets the count.
    func takeDataFilesOpened() -> Int {
        opened.exchange(0, ordering: .relaxed)
    }

    var capabilities: FileIOCapabilities { base.capabilities }

    func status(_ path: StoragePath) async throws -> FileStatus { try await base.status(path) }

    func openForReading(_ path: StoragePath) async throws -> any ReadableFile {
        let file = try await base.openForReading(path)
        if path.name.hasPrefix("data-") { opened.add(1, ordering: .relaxed) }
        return file
    }

    func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile { try await base.create(path, overwrite: overwrite) }

    func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage { try await base.list(directory, options: options) }

    func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool { try await base.delete(path, recursive: recursive) }

    func rename(_ source: StoragePath, to target: StoragePath) async throws { try await base.rename(source, to: target) }

    func mkdirs(_ path: StoragePath) async throws { try await base.mkdirs(path) }
}
