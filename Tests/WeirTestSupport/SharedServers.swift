import Foundation
import Testing
import WeirFileIO

/// One moto server and one JuiceFS gateway shared by the suites that declare `.moto` / `.juiceFS`: started when
/// the first such suite begins, stopped when the last one ends (also when its tests fail or throw).
public actor SharedServers {
    public static let shared = SharedServers()

    private var moto: (server: MotoServer, users: Int)?
    private var juiceFS: (server: JuiceFSGateway, users: Int)?
    private var motoStarting: Task<MotoServer, any Error>?
    private var juiceFSStarting: Task<JuiceFSGateway, any Error>?

    public func acquireMoto() async throws -> MotoServer {
        if let moto {
            self.moto = (moto.server, moto.users + 1)
            return moto.server
        }
        let starting = motoStarting ?? Task { try await MotoServer.start() }
        motoStarting = starting
        let server = try await starting.value
        motoStarting = nil
        if let moto {
            self.moto = (moto.server, moto.users + 1)
        } else {
            self.moto = (server, 1)
        }
        return server
    }

    public func releaseMoto() {
        guard let moto else { return }
        if moto.users > 1 {
            self.moto = (moto.server, moto.users - 1)
        } else {
            moto.server.stop()
            self.moto = nil
        }
    }

    public func acquireJuiceFS() async throws -> JuiceFSGateway {
        if let juiceFS {
            self.juiceFS = (juiceFS.server, juiceFS.users + 1)
            return juiceFS.server
        }
        let starting = juiceFSStarting ?? Task { try await JuiceFSGateway.start() }
        juiceFSStarting = starting
        let server = try await starting.value
        juiceFSStarting = nil
        if let juiceFS {
            self.juiceFS = (juiceFS.server, juiceFS.users + 1)
        } else {
            self.juiceFS = (server, 1)
        }
        return server
    }

    public func releaseJuiceFS() {
        guard let juiceFS else { return }
        if juiceFS.users > 1 {
            self.juiceFS = (juiceFS.server, juiceFS.users - 1)
        } else {
            juiceFS.server.stop()
            self.juiceFS = nil
        }
    }
}

/// The servers of the running suite.
public enum CurrentServer {
    @TaskLocal public static var moto: MotoServer?
    @TaskLocal public static var juiceFS: JuiceFSGateway?

    public static func requireMoto() throws -> MotoServer {
        try #require(moto, "the suite needs the .moto trait")
    }

    public static func requireJuiceFS() throws -> JuiceFSGateway {
        try #require(juiceFS, "the suite needs the .juiceFS trait")
    }
}

/// Runs a suite with the shared moto server.
public struct MotoTrait: SuiteTrait, TestScoping {
    public init() {}
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await SharedServers.shared.acquireMoto()
        do {
            try await CurrentServer.$moto.withValue(server) { try await function() }
        } catch {
            await SharedServers.shared.releaseMoto()
            throw error
        }
        await SharedServers.shared.releaseMoto()
    }
}

/// Runs a suite with the shared JuiceFS gateway.
public struct JuiceFSTrait: SuiteTrait, TestScoping {
    public init() {}
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await SharedServers.shared.acquireJuiceFS()
        do {
            try await CurrentServer.$juiceFS.withValue(server) { try await function() }
        } catch {
            await SharedServers.shared.releaseJuiceFS()
            throw error
        }
        await SharedServers.shared.releaseJuiceFS()
    }
}

extension Trait where Self == MotoTrait {
    public static var moto: MotoTrait { MotoTrait() }
}

extension Trait where Self == JuiceFSTrait {
    public static var juiceFS: JuiceFSTrait { JuiceFSTrait() }
}

/// Helpers the server suites share.
enum S3TestSupport {
    /// A fresh bucket name (3 to 63 characters) for one test.
    static func bucketName(_ label: String) -> String {
        "weir-\(label)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Deterministic pseudo-random bytes (SplitMix64 of `seed`).
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var out = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for b in 0..<8 where i < count {
                out[i] = UInt8(truncatingIfNeeded: z >> (8 * UInt64(b)))
                i += 1
            }
        }
        return out
    }

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
