import Foundation
import WeirCodecs
import WeirFileIO

/// Helpers the server suites share.
enum S3TestSupport {
    /// A fresh bucket name (3 to 63 characters) for one test.
    static func bucketName(_ label: String) -> String {
        "weir-\(label)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Deterministic pseudo-random bytes (SplitMix64 of `seed`).
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] { testBytes(count: count, seed: seed) }

    /// Writes `bytes` to `path` in `chunkBytes` writes and closes.
    static func put(_ io: any FileIO, _ path: StoragePath, _ bytes: [UInt8], overwrite: Bool = true, chunkBytes: Int = 1 << 20) async throws {
        let writer = try await io.create(path, overwrite: overwrite)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunkBytes)
            try await writer.write(Array(bytes[offset..<end]))
            offset = end
        }
        try await writer.close()
    }

    /// Reads a whole file sequentially in `chunkBytes` reads.
    static func get(_ io: any FileIO, _ path: StoragePath, chunkBytes: Int = 1 << 20) async throws -> [UInt8] {
        let reader = try await io.openForReading(path)
        var out: [UInt8] = []
        while Int64(out.count) < reader.size {
            let chunk = try await reader.read(at: Int64(out.count), count: chunkBytes)
            guard !chunk.isEmpty else { break }
            out += chunk
        }
        await reader.close()
        return out
    }

    /// Every page of a listing.
    static func listAll(_ io: any FileIO, _ directory: StoragePath, options: ListOptions = ListOptions()) async throws -> (files: [StoragePath], directories: [StoragePath], pages: Int) {
        var options = options
        var files: [StoragePath] = []
        var directories: [StoragePath] = []
        var pages = 0
        repeat {
            let page = try await io.list(directory, options: options)
            pages += 1
            files += page.files.map(\.path)
            directories += page.directories
            options.pageToken = page.nextPageToken
        } while options.pageToken != nil && pages < 10_000
        return (files, directories, pages)
    }
}
