#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A local file open for reading (pread(2) at any offset).
final class LocalReadableFile: ReadableFile {
    let path: StoragePath
    let size: Int64
    /// The descriptor, or -1 once closed.
    private let descriptor: Mutex<Int32>

    init(path: StoragePath, descriptor: Int32, size: Int64) {
        self.path = path
        self.descriptor = Mutex(descriptor)
        self.size = size
    }

    deinit {
        descriptor.withLock { fd in if fd >= 0 { Glibc.close(fd) } }
    }

    func read(at offset: Int64, count: Int) async throws -> [UInt8] {
        guard offset >= 0, count >= 0 else {
            throw FileIOError(.invalidArgument, path: path, "read at \(offset) of \(count) bytes")
        }
        let wanted = Int(max(0, min(Int64(count), size - offset)))
        if wanted == 0 { return [] }
        let fd = descriptor.withLock { $0 }
        guard fd >= 0 else { throw FileIOError(.invalidArgument, path: path, "read after close") }
        var out = [UInt8](repeating: 0, count: wanted)
        var done = 0
        let failure: Int32? = out.withUnsafeMutableBytes { buffer in
            while done < wanted {
                let n = pread(fd, buffer.baseAddress! + done, wanted - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { break }
                done += n
            }
            return nil
        }
        if let failure { throw LocalFileIO.posixError(failure, path, "cannot read at \(offset)") }
        guard done == wanted else {
            throw FileIOError(.truncated, path: path, "the file ended at \(offset + Int64(done)), \(wanted - done) bytes early")
        }
        return out
    }

    func close() async {
        descriptor.withLock { fd in
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }
}

/// A local file being written into a hidden temp file, published on close (see ``LocalFileIO``).
final class LocalWritableFile: WritableFile {
    let path: StoragePath
    private let tempPath: String
    private let overwrite: Bool
    private struct State {
        var descriptor: Int32
        var finished = false
    }
    private let state: Mutex<State>

    init(path: StoragePath, tempPath: String, descriptor: Int32, overwrite: Bool) {
        self.path = path
        self.tempPath = tempPath
        self.overwrite = overwrite
        self.state = Mutex(State(descriptor: descriptor))
    }

    deinit {
        // A writer dropped without close or abort publishes nothing.
        state.withLock { s in
            if !s.finished {
                if s.descriptor >= 0 { Glibc.close(s.descriptor) }
                unlink(tempPath)
            }
        }
    }

    func write(_ bytes: [UInt8]) async throws {
        let fd = try state.withLock { s throws(FileIOError) in
            guard !s.finished else { throw FileIOError(.invalidArgument, path: path, "write after close or abort") }
            return s.descriptor
        }
        var done = 0
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return nil
        }
        if let failure {
            await abort()
            throw LocalFileIO.posixError(failure, path, "cannot write")
        }
    }

    func close() async throws {
        let fd = try state.withLock { s throws(FileIOError) in
            guard !s.finished else { throw FileIOError(.invalidArgument, path: path, "close after close or abort") }
            s.finished = true
            return s.descriptor
        }
        defer { unlink(tempPath) }  // after link(2) the temp name is a second link; after rename it is gone
        guard fsync(fd) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw LocalFileIO.posixError(code, path, "cannot fsync")
        }
        guard Glibc.close(fd) == 0 else { throw LocalFileIO.posixError(errno, path, "cannot close") }
        if overwrite {
            guard rename(tempPath, path.localPath) == 0 else { throw LocalFileIO.posixError(errno, path, "cannot publish") }
        } else {
            guard link(tempPath, path.localPath) == 0 else {
                let code = errno
                if code == EEXIST { throw FileIOError(.alreadyExists, path: path, "already exists") }
                throw LocalFileIO.posixError(code, path, "cannot publish")
            }
        }
        LocalFileIO.syncDirectory(path.parent.localPath)
    }

    func abort() async {
        state.withLock { s in
            guard !s.finished else { return }
            s.finished = true
            Glibc.close(s.descriptor)
            unlink(tempPath)
        }
    }
}
