/// Whole-file and whole-tree operations every backend gets from the primitives of ``FileIO``.
extension FileIO {
    /// True when a file or directory is at `path`.
    public func exists(_ path: StoragePath) async throws -> Bool {
        do {
            _ = try await status(path)
            return true
        } catch let error as FileIOError where error.kind == .notFound {
            return false
        }
    }

    /// Reads a whole file, refusing one larger than `bytesMax` (a file is external input).
    public func readAll(_ path: StoragePath, bytesMax: Int = 256 << 20) async throws -> [UInt8] {
        let file = try await openForReading(path)
        defer { Task { await file.close() } }
        guard file.size <= Int64(bytesMax) else {
            throw FileIOError(.tooLarge, path: path, "\(file.size) bytes is over the \(bytesMax)-byte limit for a whole read")
        }
        var out: [UInt8] = []
        out.reserveCapacity(Int(file.size))
        let chunkBytes = 8 << 20
        while Int64(out.count) < file.size {
            let chunk = try await file.read(at: Int64(out.count), count: chunkBytes)
            if chunk.isEmpty { break }
            out += chunk
        }
        guard Int64(out.count) == file.size else {
            throw FileIOError(.truncated, path: path, "read \(out.count) of \(file.size) bytes")
        }
        return out
    }

    /// Writes `bytes` as the whole content of `path` (see ``create(_:overwrite:)`` for visibility and
    /// create-if-absent). On any failure the writer is aborted, so nothing partial is visible.
    public func write(_ path: StoragePath, _ bytes: [UInt8], overwrite: Bool) async throws {
        let file = try await create(path, overwrite: overwrite)
        do {
            try await file.write(bytes)
            try await file.close()
        } catch {
            await file.abort()
            throw error
        }
    }

    /// Every entry of a listing, following page tokens; refuses more than `entriesMax` entries.
    public func listAll(_ directory: StoragePath, recursive: Bool, namePrefix: String = "",
                        entriesMax: Int = 1_000_000, includeWriterTemporaries: Bool = false) async throws -> ListPage {
        var all = ListPage(files: [], directories: [], nextPageToken: nil)
        var token: String? = nil
        repeat {
            let page = try await list(directory, options: ListOptions(recursive: recursive, namePrefix: namePrefix, pageToken: token,
                                                                  includeWriterTemporaries: includeWriterTemporaries))
            all.files += page.files
            all.directories += page.directories
            guard all.files.count + all.directories.count <= entriesMax else {
                throw FileIOError(.tooLarge, path: directory, "more than \(entriesMax) entries")
            }
            guard page.nextPageToken != token || page.nextPageToken == nil else {
                throw FileIOError(.protocolError, path: directory, "the store returned the same page token twice")
            }
            token = page.nextPageToken
        } while token != nil
        return all
    }

    /// Streams the file at `source` into `target` on `targetIO` in chunks of `chunkBytes`, so memory stays about
    /// one chunk plus what the target buffers. Returns the number of bytes copied. Nothing is visible at
    /// `target` unless the whole copy succeeds. `progress` sees the running total after each chunk.
    @discardableResult
    public func copy(_ source: StoragePath, to target: StoragePath, on targetIO: any FileIO, overwrite: Bool,
                     chunkBytes: Int = 4 << 20, progress: (Int64, Int64) -> Void = { _, _ in }) async throws -> Int64 {
        precondition(chunkBytes > 0)
        let input = try await openForReading(source)
        let output: any WritableFile
        do {
            output = try await targetIO.create(target, overwrite: overwrite)
        } catch {
            await input.close()
            throw error
        }
        var offset: Int64 = 0
        do {
            while offset < input.size {
                let chunk = try await input.read(at: offset, count: chunkBytes)
                guard !chunk.isEmpty else {
                    throw FileIOError(.truncated, path: source, "ended at \(offset) of \(input.size) bytes")
                }
                try await output.write(chunk)
                offset += Int64(chunk.count)
                progress(offset, input.size)
            }
            await input.close()
            try await output.close()
        } catch {
            await input.close()
            await output.abort()
            throw error
        }
        return offset
    }
}
