import WeirCodecs
import WeirColumnar

/// How the module builds its errors: the pure decoders know neither the file nor always the location, so they throw
/// a ``ParquetError`` with an empty `file` (and often an empty `location`), and the layer that knows them fills them
/// in on the way out with ``ParquetError/in(file:location:)``. A location set deeper down is kept and the outer one is
/// put in front of it ("row group 0, column id: page at 4: ...").
extension ParquetError {
    /// An error whose file and location the caller fills in.
    static func corrupt(_ message: String) -> ParquetError {
        ParquetError(file: "", location: "", message)
    }

    /// This error with `file` set (if it was empty) and `location` put in front of the location it already had.
    func `in`(file: String, location: String = "") -> ParquetError {
        var copy = self
        if copy.file.isEmpty { copy.file = file }
        if !location.isEmpty {
            copy.location = copy.location.isEmpty ? location : location + ", " + copy.location
        }
        return copy
    }

    /// A codec failure (decompression) as a Parquet error.
    static func codec(_ error: CodecError, what: String) -> ParquetError {
        .corrupt("\(what): \(error.description)")
    }

    /// A columnar invariant failure (from `ColumnBatch.validate()` or a value conversion) as a Parquet error.
    static func columnar(_ error: ColumnarError) -> ParquetError {
        .corrupt(error.description)
    }
}

/// Runs `body` and rewrites any error it throws as a ``ParquetError`` naming `file` and `location`: Parquet errors get
/// the context added, file-system and other errors are wrapped with their description.
func withParquetContext<T>(isolation: isolated (any Actor)? = #isolation, file: String, location: String = "",
                          _ body: () async throws -> T) async throws(ParquetError) -> T {
    do {
        return try await body()
    } catch let error as ParquetError {
        throw error.in(file: file, location: location)
    } catch {
        throw ParquetError(file: file, location: location, String(describing: error))
    }
}

/// The synchronous form of ``withParquetContext(file:location:_:)``.
func withParquetContextSync<T>(file: String, location: String = "", _ body: () throws -> T) throws(ParquetError) -> T {
    do {
        return try body()
    } catch let error as ParquetError {
        throw error.in(file: file, location: location)
    } catch {
        throw ParquetError(file: file, location: location, String(describing: error))
    }
}
