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
