/// Maps a path's scheme to the backend that serves it: `file` → ``LocalFileIO``, `memory` → one
/// ``MemoryFileIO`` per resolver, `s3` → one ``S3FileIO`` configured from the environment on first use.
///
/// Configuration errors (a malformed `AWS_ENDPOINT_URL`, say) surface when an `s3://` path is first resolved,
/// naming the variable, so commands that never touch S3 are not affected by them.
public final class FileIOResolver: Sendable {
    private let local = LocalFileIO()
    private let memory = MemoryFileIO()
    private let s3: Result<S3FileIO, FileIOError>

    /// - Parameter environment: where S3 settings come from (the standard AWS variables; see
    ///   ``S3Configuration/fromEnvironment(_:)``).
    public init(environment: [String: String]) {
        do {
            s3 = .success(try S3FileIO(configuration: try S3Configuration.fromEnvironment(environment)))
        } catch {
            s3 = .failure(error)
        }
    }

    /// The backend for `path`; `unsupported` for a scheme Weir has no backend for.
    public func fileIO(for path: StoragePath) throws(FileIOError) -> any FileIO {
        switch path.scheme {
        case "file": return local
        case "memory": return memory
        case "s3": return try s3.get()
        default:
            throw FileIOError(.unsupported, path: path, "no FileIO backend for the scheme '\(path.scheme)' (use file://, memory:// or s3://)")
        }
    }
}
