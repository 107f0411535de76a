import Testing
import WeirTestSupport

/// The interop tests talk to exactly the pinned peers.
@Suite struct PeerVersionTests {
    @Test func peersAreThePinnedVersions() async throws {
        let printed = try await PythonPeer.run("versions.py", [])
        #expect(printed.contains("pyarrow 19.0.1"), "\(printed)")
        #expect(printed.contains("duckdb 2.0.0"), "\(printed)")
        #expect(printed.contains("fastavro 1.13.1"), "\(printed)")
        #expect(printed.contains("pypaimon 2.1.0"), "\(printed)")
    }
}
