import Foundation
import Synchronization
import WeirFileIO
import WeirPaimon
@testable import WeirTable

/// A FileIO that runs a hook before creating a file and can make a snapshot write's close fail after the file
/// became visible (an outcome the writer cannot know).
final class HookedFileIO: FileIO {
    let inner: any FileIO
    /// Called before every create; may itself write through `inner`.
    let beforeCreate: @Sendable (StoragePath) async throws -> Void
    /// Paths whose close should throw after succeeding (each path at most once).
    let failAfterClose: Mutex<Set<String>>

    init(_ inner: any FileIO, failAfterClose: Set<String> = [], beforeCreate: @escaping @Sendable (StoragePath) async throws -> Void = { _ in }) {
        self.inner = inner
        self.beforeCreate = beforeCreate
        self.failAfterClose = Mutex(failAfterClose)
    }

    var capabilities: FileIOCapabilities { inner.capabilities }
    func status(_ path: StoragePath) async throws -> FileStatus { try await inner.status(path) }
    func openForReading(_ path: StoragePath) async throws -> any ReadableFile { try await inner.openForReading(path) }
    func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage { try await inner.list(directory, options: options) }
    func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool { try await inner.delete(path, recursive: recursive) }
    func rename(_ source: StoragePath, to target: StoragePath) async throws { try await inner.rename(source, to: target) }
    func mkdirs(_ path: StoragePath) async throws { try await inner.mkdirs(path) }

    func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile {
        try await beforeCreate(path)
        let file = try await inner.create(path, overwrite: overwrite)
        let fail = failAfterClose.withLock { $0.remove(String(path.name)) != nil }
        return fail ? FailingClose(file) : file
    }

    final class FailingClose: WritableFile {
        let inner: any WritableFile
        init(_ inner: any WritableFile) { self.inner = inner }
        var path: StoragePath { inner.path }
        func write(_ bytes: [UInt8]) async throws { try await inner.write(bytes) }
        func close() async throws {
            try await inner.close()
            throw FileIOError(.transient, path: path, "connection reset after the write (test)")
        }
        func abort() async { await inner.abort() }
    }
}

/// Names of every file in `manifest/`.
func manifestDirectoryNames(_ io: any FileIO, _ paths: TablePaths) async throws -> Set<String> {
    Set(try await io.listAll(paths.manifestDirectory, recursive: false).files.map { String($0.path.name) })
}

/// Names of every manifest-directory file some snapshot refers to.
func referencedManifestNames(_ io: any FileIO, _ paths: TablePaths) async throws -> Set<String> {
    let store = SnapshotStore(io: io, paths: paths)
    var names = Set<String>()
    for id in try await store.ids() {
        let snapshot = try await store.snapshot(id)
        for list in [snapshot.baseManifestList, snapshot.deltaManifestList] + [snapshot.changelogManifestList].compactMap({ $0 }) {
            names.insert(list)
            for meta in try await ManifestList.read(io: io, paths: paths, fileName: list) { names.insert(meta.fileName) }
        }
        if let index = snapshot.indexManifest { names.insert(index) }
    }
    return names
}

func appendMessage(_ files: [ManifestEntry]) -> CommitMessage { CommitMessage(newFiles: files) }
