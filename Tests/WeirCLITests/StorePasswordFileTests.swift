import Foundation
import Testing
import WeirTestSupport

/// A PostgreSQL store whose role must log in with a password, given as `?password-file=` (how Docker and Kubernetes
/// hand out secrets), end to end against a real server that asks for it (SCRAM-SHA-256).
@Suite struct StorePasswordFileTests {
    @Test func aPasswordFileLogsInAndAWrongOneIsRefusedWithTheReason() async throws {
        let scratch = try Scratch("store-password"); defer { scratch.remove() }
        let server = try await PostgresServer.start()
        defer { server.stop() }
        try server.createPasswordRole("weir_login", password: "correct horse 'battery'", database: "pwstore")
        let right = scratch.path + "/right", wrong = scratch.path + "/wrong"
        try "correct horse 'battery'\n".write(toFile: right, atomically: true, encoding: .utf8)
        try "incorrect horse\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        func store(_ file: String) -> [String] { ["--store", "postgresql://weir_login@127.0.0.1:\(server.port)/pwstore?password-file=\(file)"] }

        let created = try await CLI.run(["catalog", "metalake", "create", "ml", "--comment", "behind a password"] + store(right))
        #expect(created.status == 0, "\(created.stderr)")
        let listed = try await CLI.run(["catalog", "metalake", "list"] + store(right))
        #expect(listed.status == 0 && listed.stdout == "ml\n", "\(listed.stdout) \(listed.stderr)")
        // The store really is that role's database on that server.
        #expect(try server.psql("SELECT count(*) FROM pg_tables WHERE tableowner = 'weir_login'", database: "pwstore")
            .trimmingCharacters(in: .whitespacesAndNewlines) != "0")

        // Without the password, or with a wrong one, the server refuses the login, and the command says so.
        let reasons = ["password authentication failed for user \"weir_login\"", "the server asks for a password and none was given"]
        for (arguments, reason) in zip([store(wrong), ["--store", "postgresql://weir_login@127.0.0.1:\(server.port)/pwstore"]], reasons) {
            let refused = try await ChildProcess.run(CLI.path, ["catalog", "metalake", "list"] + arguments, timeoutSeconds: 120)
            #expect(refused.status == 1, "\(arguments): \(refused.stdout) \(refused.stderr)")
            #expect(refused.stderr.hasPrefix("weir: "), "\(refused.stderr)")
            #expect(refused.stderr.contains("cannot log in to postgresql://weir_login@127.0.0.1:\(server.port)/pwstore") && refused.stderr.contains(reason),
                    "\(refused.stderr)")
        }
    }
}
