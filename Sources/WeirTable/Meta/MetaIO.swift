import WeirAvro
import WeirFileIO
import WeirPaimon

/// Small storage helpers of the metadata layer: every failure becomes a ``TableError`` whose subject is the file.
enum MetaIO {
    /// The largest metadata JSON file read (snapshot, schema, tag, hint, statistics).
    static let jsonBytesMax = 16 << 20

    /// The whole file; `notFound` when it is missing.
    static func read(_ io: any FileIO, _ path: StoragePath, bytesMax: Int = jsonBytesMax) async throws(TableError) -> [UInt8] {
        do {
            return try await io.readAll(path, bytesMax: bytesMax)
        } catch {
            throw tableError(error, path)
        }
    }

    /// The whole file, or nil when nothing is at the path.
    static func readIfExists(_ io: any FileIO, _ path: StoragePath, bytesMax: Int = jsonBytesMax) async throws(TableError) -> [UInt8]? {
        do {
            return try await io.readAll(path, bytesMax: bytesMax)
        } catch let error as FileIOError where error.kind == .notFound {
            return nil
        } catch {
            throw tableError(error, path)
        }
    }

    /// Writes a whole file. With `overwrite == false` the write is an atomic create-if-absent and returns false
    /// when something is already at the path.
    @discardableResult
    static func write(_ io: any FileIO, _ path: StoragePath, _ bytes: [UInt8], overwrite: Bool) async throws(TableError) -> Bool {
        do {
            try await io.write(path, bytes, overwrite: overwrite)
            return true
        } catch let error as FileIOError where error.kind == .alreadyExists && !overwrite {
            return false
        } catch {
            throw tableError(error, path)
        }
    }

    /// True when a file is at `path`.
    static func exists(_ io: any FileIO, _ path: StoragePath) async throws(TableError) -> Bool {
        do {
            return try await io.exists(path)
        } catch {
            throw tableError(error, path)
        }
    }

    /// Deletes a file; false when nothing was there.
    @discardableResult
    static func delete(_ io: any FileIO, _ path: StoragePath) async throws(TableError) -> Bool {
        do {
            return try await io.delete(path, recursive: false)
        } catch let error as FileIOError where error.kind == .notFound {
            return false
        } catch {
            throw tableError(error, path)
        }
    }

    /// Deletes a file, ignoring every failure (clean-up of files nothing refers to).
    static func deleteQuietly(_ io: any FileIO, _ path: StoragePath) async {
        _ = try? await io.delete(path, recursive: false)
    }

    /// The direct children of `directory` (files only); empty when the directory does not exist.
    static func listFiles(_ io: any FileIO, _ directory: StoragePath) async throws(TableError) -> [FileStatus] {
        do {
            return try await io.listAll(directory, recursive: false).files
        } catch let error as FileIOError where error.kind == .notFound {
            return []
        } catch {
            throw tableError(error, directory)
        }
    }

    /// Maps any error of the storage or Avro layers to a ``TableError`` about `path`.
    static func tableError(_ error: any Error, _ path: StoragePath) -> TableError { tableError(error, subject: path.description) }

    /// Maps any error of the storage or Avro layers to a ``TableError`` about `subject`.
    static func tableError(_ error: any Error, subject: String) -> TableError {
        switch error {
        case let error as TableError: return error
        case let error as FileIOError: return TableError.io(error, subject)
        case let error as AvroError:
            return TableError(.corrupt, subject, error.location.isEmpty ? error.message : "\(error.location): \(error.message)")
        case let error as PaimonFormatError: return TableError(.corrupt, subject, error.description)
        default: return TableError(.io, subject, String(describing: error))
        }
    }
}

/// Runs `transform` over `items` with at most `width` calls at once, keeping the input order in the result.
func concurrentMap<T: Sendable, R: Sendable>(
    _ items: [T], width: Int = 8, _ transform: @escaping @Sendable (T) async throws(TableError) -> R
) async throws(TableError) -> [R] {
    if items.count <= 1 {
        var out: [R] = []
        for item in items { out.append(try await transform(item)) }
        return out
    }
    let result: Result<[R], TableError> = await withTaskGroup(of: (Int, Result<R, TableError>).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        var next = 0
        var failure: TableError? = nil
        func start() {
            let index = next
            let item = items[index]
            next += 1
            group.addTask {
                do throws(TableError) {
                    return (index, .success(try await transform(item)))
                } catch {
                    return (index, .failure(error))
                }
            }
        }
        while next < min(width, items.count) { start() }
        while let (index, outcome) = await group.next() {
            switch outcome {
            case .success(let value): results[index] = value
            case .failure(let error):
                if failure == nil { failure = error }
            }
            if failure == nil && next < items.count { start() }
        }
        if let failure { return .failure(failure) }
        return .success(results.map { $0! })
    }
    return try result.get()
}
