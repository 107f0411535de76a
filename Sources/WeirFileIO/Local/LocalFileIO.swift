#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import struct Foundation.UUID

/// The local file system (`file:///...`).
///
/// - Create writes into a hidden temp file beside the target (`.weir-tmp-<uuid>-<name>`, listed only with
///   ``ListOptions/includeWriterTemporaries``) and on
///   close fsyncs it, then publishes it with link(2) (create-if-absent: atomic, EEXIST → `alreadyExists`) or
///   rename(2) (overwrite: atomic replace), and fsyncs the directory so a commit survives a crash.
/// - Rename refuses to replace an existing target (link + unlink), so a commit by rename cannot clobber.
/// - Calls are blocking POSIX calls made from the calling task: local disk calls are short, and Weir never
///   calls FileIO from a NIO event loop.
public struct LocalFileIO: FileIO {
    public init() {}

    public var capabilities: FileIOCapabilities {
        FileIOCapabilities(atomicCreateIfAbsent: true, rename: true, directories: true)
    }

    /// Names starting with this are writers' temp files: invisible to listings unless asked for.
    static let tempPrefix = ".weir-tmp-"

    public func status(_ path: StoragePath) async throws -> FileStatus {
        let info = try Self.statPath(path)
        return FileStatus(path: path, size: info.isDirectory ? 0 : info.size, isDirectory: info.isDirectory,
                          modified: Date(timeIntervalSince1970: info.modified))
    }

    public func openForReading(_ path: StoragePath) async throws -> any ReadableFile {
        try Self.checkScheme(path)
        let fd = open(path.localPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.posixError(errno, path, "cannot open for reading") }
        var info = Glibc.stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw Self.posixError(code, path, "cannot stat")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw FileIOError(.isDirectory, path: path, "is a directory")
        }
        return LocalReadableFile(path: path, descriptor: fd, size: Int64(info.st_size))
    }

    public func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile {
        try Self.checkScheme(path)
        guard !path.isRoot else { throw FileIOError(.isDirectory, path: path, "cannot write to the root directory") }
        if let existing = try? Self.statPath(path), existing.isDirectory {
            throw FileIOError(.isDirectory, path: path, "is a directory")
        }
        if !overwrite, (try? Self.statPath(path)) != nil {
            throw FileIOError(.alreadyExists, path: path, "already exists")
        }
        try Self.makeDirectories(path.parent)
        let temp = path.parent.localPath + "/" + Self.tempPrefix + UUID().uuidString.lowercased() + "-" + path.name
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.posixError(errno, path, "cannot create temp file \(temp)") }
        return LocalWritableFile(path: path, tempPath: temp, descriptor: fd, overwrite: overwrite)
    }

    public func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage {
        try Self.checkScheme(directory)
        try options.validate(for: directory)
        guard let info = try Self.statIfExists(directory) else {
            return ListPage(files: [], directories: [], nextPageToken: nil)
        }
        guard info.isDirectory else { throw FileIOError(.notDirectory, path: directory, "is not a directory") }
        var files: [ListingPager.Entry] = []
        var emptyDirectories: [String] = []
        try Self.walk(directory.localPath, relative: "", recursive: options.recursive, temporaries: options.includeWriterTemporaries,
                      files: &files, emptyDirectories: &emptyDirectories, path: directory)
        return try ListingPager.page(directory: directory, files: files, emptyDirectories: emptyDirectories, options: options)
    }

    public func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool {
        try Self.checkScheme(path)
        guard let info = try Self.statIfExists(path) else { return false }
        guard !path.isRoot else { throw FileIOError(.invalidArgument, path: path, "refusing to delete the root directory") }
        if info.isDirectory {
            if recursive {
                try Self.removeTree(path.localPath, path: path)
            } else if rmdir(path.localPath) != 0 {
                let code = errno
                if code == ENOTEMPTY || code == EEXIST {
                    throw FileIOError(.io, path: path, "directory not empty (delete it recursively)")
                }
                throw Self.posixError(code, path, "cannot remove directory")
            }
        } else if unlink(path.localPath) != 0 {
            let code = errno
            if code == ENOENT { return false }
            throw Self.posixError(code, path, "cannot delete")
        }
        return true
    }

    public func rename(_ source: StoragePath, to target: StoragePath) async throws {
        try Self.checkScheme(source)
        try Self.checkScheme(target)
        let info = try Self.statPath(source)
        try Self.makeDirectories(target.parent)
        if info.isDirectory {
            if (try? Self.statPath(target)) != nil { throw FileIOError(.alreadyExists, path: target, "rename target exists") }
            guard Glibc.rename(source.localPath, target.localPath) == 0 else {
                throw Self.posixError(errno, source, "cannot rename to \(target)")
            }
        } else {
            // link(2) fails if the target exists, so a rename never replaces a file someone else created.
            guard link(source.localPath, target.localPath) == 0 else {
                throw Self.posixError(errno, target, "cannot rename \(source) here")
            }
            guard unlink(source.localPath) == 0 else { throw Self.posixError(errno, source, "renamed, but cannot remove the source") }
        }
        Self.syncDirectory(target.parent.localPath)
    }

    public func mkdirs(_ path: StoragePath) async throws {
        try Self.checkScheme(path)
        try Self.makeDirectories(path)
    }

    // MARK: - POSIX helpers

    static func checkScheme(_ path: StoragePath) throws(FileIOError) {
        guard path.scheme == "file" else {
            throw FileIOError(.unsupported, path: path, "the local file system serves file:// paths only")
        }
    }

    static func statPath(_ path: StoragePath) throws(FileIOError) -> (isDirectory: Bool, size: Int64, modified: Double) {
        try checkScheme(path)
        var info = Glibc.stat()
        guard stat(path.localPath, &info) == 0 else { throw posixError(errno, path, "cannot stat") }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return ((info.st_mode & S_IFMT) == S_IFDIR, Int64(info.st_size), modified)
    }

    /// Like ``statPath(_:)`` but nil when nothing is there.
    static func statIfExists(_ path: StoragePath) throws(FileIOError) -> (isDirectory: Bool, size: Int64, modified: Double)? {
        do {
            return try statPath(path)
        } catch {
            if error.kind == .notFound { return nil }
            throw error
        }
    }

    static func makeDirectories(_ path: StoragePath) throws(FileIOError) {
        var current = ""
        for segment in path.key.split(separator: "/") {
            current += "/" + segment
            if mkdir(current, 0o755) != 0 {
                let code = errno
                guard code == EEXIST else { throw posixError(code, path, "cannot create directory \(current)") }
                var info = Glibc.stat()
                if stat(current, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
                    throw FileIOError(.notDirectory, path: path, "\(current) is a file, not a directory")
                }
            }
        }
    }

    /// Collects the files below `absolute` (and empty directories), skipping writers' temp files unless `temporaries`.
    static func walk(_ absolute: String, relative: String, recursive: Bool, temporaries: Bool = false, files: inout [ListingPager.Entry],
                     emptyDirectories: inout [String], path: StoragePath) throws(FileIOError) {
        guard let dir = opendir(absolute) else { throw posixError(errno, path, "cannot open directory \(absolute)") }
        defer { closedir(dir) }
        var sawAnything = false
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." || (name.hasPrefix(tempPrefix) && !temporaries) { continue }
            sawAnything = true
            let childAbsolute = absolute + "/" + name
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            var info = Glibc.stat()
            guard lstat(childAbsolute, &info) == 0 else { continue }  // vanished while listing
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR {
                if recursive {
                    try walk(childAbsolute, relative: childRelative, recursive: true, temporaries: temporaries, files: &files,
                             emptyDirectories: &emptyDirectories, path: path)
                } else {
                    emptyDirectories.append(childRelative)
                }
            } else if kind == S_IFREG {
                let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
                files.append(.init(relativeKey: childRelative, size: Int64(info.st_size), modified: modified, etag: nil))
            }
        }
        if !sawAnything && !relative.isEmpty && !recursive { emptyDirectories.append(relative) }
    }

    static func removeTree(_ absolute: String, path: StoragePath) throws(FileIOError) {
        guard let dir = opendir(absolute) else { throw posixError(errno, path, "cannot open directory \(absolute)") }
        var children: [(String, Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var info = Glibc.stat()
            let child = absolute + "/" + name
            guard lstat(child, &info) == 0 else { continue }
            children.append((child, (info.st_mode & S_IFMT) == S_IFDIR))
        }
        closedir(dir)
        for (child, isDirectory) in children {
            if isDirectory {
                try removeTree(child, path: path)
            } else if unlink(child) != 0 && errno != ENOENT {
                throw posixError(errno, path, "cannot delete \(child)")
            }
        }
        if rmdir(absolute) != 0 && errno != ENOENT { throw posixError(errno, path, "cannot remove directory \(absolute)") }
    }

    /// fsync of a directory, so a link/rename inside it is durable. Best effort: some file systems refuse.
    static func syncDirectory(_ absolute: String) {
        let fd = open(absolute, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func posixError(_ code: Int32, _ path: StoragePath, _ what: String) -> FileIOError {
        let reason = String(cString: strerror(code))
        switch code {
        case ENOENT: return FileIOError(.notFound, path: path, "\(what): \(reason)")
        case EEXIST: return FileIOError(.alreadyExists, path: path, "\(what): \(reason)")
        case EISDIR: return FileIOError(.isDirectory, path: path, "\(what): \(reason)")
        case ENOTDIR: return FileIOError(.notDirectory, path: path, "\(what): \(reason)")
        case EACCES, EPERM, EROFS: return FileIOError(.permissionDenied, path: path, "\(what): \(reason)")
        case EINTR, EAGAIN, EIO: return FileIOError(.transient, path: path, "\(what): \(reason)")
        default: return FileIOError(.io, path: path, "\(what): \(reason)")
        }
    }
}

import struct Foundation.Date
