import Foundation
import Testing
import WeirFileIO
import WeirTestSupport

/// The server harness itself: servers are stopped by ``ServerProcess/stop()``, and ``ParentWatch`` stops a
/// server whose test process went away. Uses Python's `http.server` from the test-server venv as the server.
@Suite struct S3HarnessTests {
    /// The PIDs whose parent is `parent` (from /proc).
    static func children(of parent: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == parent ? pid : nil
        }
    }

    /// True while `pid` exists and is not a zombie.
    static func alive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    @Test func stopEndsLauncherAndServer() async throws {
        let venv = try PackageRoot.serversVenv(requiring: "python")
        let directory = try PackageRoot.makeScratchDirectory("harness")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try FreePort.next()
        let python = venv + "/bin/python"
        let server = try await ServerProcess.start(
            name: "http", python: python, command: [python, "-m", "http.server", "--bind", "127.0.0.1", String(port)],
            directory: directory, port: port, healthPath: "/")
        let serverPids = Self.children(of: server.pid)
        try #require(serverPids.count == 1, "the launcher runs exactly one child")
        #expect(try LoopbackHTTP.request("GET", port: port, path: "/").status == 200)
        server.stop()
        #expect(!Self.alive(server.pid), "launcher gone")
        #expect(try await Eventually.holds { !Self.alive(serverPids[0]) }, "server gone")
        #expect((try? LoopbackHTTP.request("GET", port: port, path: "/", timeoutMs: 500)) == nil)
        server.stop()  // idempotent
    }

    /// A dedicated moto (not the shared one, which other suites use concurrently): reset wipes it, stop ends it.
    @Test func motoResetWipesEverything() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let io = try S3FileIO(configuration: try moto.configuration())
        try await io.createBucket("weir-reset")
        let path = try StoragePath(parsing: "s3://weir-reset/k")
        try await S3TestSupport.put(io, path, [1])
        #expect(try await io.status(path).size == 1)
        try moto.reset()
        do {
            _ = try await io.status(path.root)
            Issue.record("the bucket survived the reset")
        } catch let error as FileIOError {
            #expect(error.kind == .notFound)
        }
        moto.stop()
        #expect(!moto.process.isRunning)
        #expect((try? LoopbackHTTP.request("GET", port: moto.port, path: "/moto-api/", timeoutMs: 500)) == nil)
        #expect(!FileManager.default.fileExists(atPath: moto.scratchDirectory))
    }

    @Test func failedStartReportsTheLogTail() async throws {
        let venv = try PackageRoot.serversVenv(requiring: "python")
        let directory = try PackageRoot.makeScratchDirectory("harness")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let python = venv + "/bin/python"
        do {
            _ = try await ServerProcess.start(
                name: "broken", python: python, command: [python, "-c", "import sys; print('weir-marker: cannot start'); sys.exit(4)"],
                directory: directory, port: try FreePort.next(), healthPath: "/")
            Issue.record("a server that exits at once was reported as started")
        } catch {
            #expect("\(error)".contains("weir-marker: cannot start"), "\(error)")
            #expect("\(error)".contains("exited with status 4"), "\(error)")
        }
    }

    /// A test process that dies without stopping its server: the launcher notices and stops the server.
    @Test func serverDiesWithItsTestProcess() async throws {
        let venv = try PackageRoot.serversVenv(requiring: "python")
        let directory = try PackageRoot.makeScratchDirectory("harness")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let launcher = try ParentWatch.install(in: directory)
        let port = try FreePort.next()
        let python = venv + "/bin/python"
        // A stand-in "test process": starts the launcher with itself as parent, then exits abruptly.
        let script = """
            import os, subprocess, sys, time
            subprocess.Popen([sys.argv[1], sys.argv[2], str(os.getpid()), "--", sys.argv[1], "-m", "http.server", "--bind", "127.0.0.1", sys.argv[3]],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            import urllib.request
            answered = False
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen("http://127.0.0.1:" + sys.argv[3] + "/", timeout=0.5)
                    answered = True
                    break
                except Exception:
                    time.sleep(0.05)
            os._exit(0 if answered else 5)
            """
        let standIn = Process()
        standIn.executableURL = URL(fileURLWithPath: python)
        standIn.arguments = ["-c", script, python, launcher, String(port)]
        standIn.standardOutput = FileHandle.nullDevice
        standIn.standardError = FileHandle.nullDevice
        try standIn.run()
        standIn.waitUntilExit()
        try #require(standIn.terminationStatus == 0, "the server answered before its test process died")
        #expect(try await Eventually.holds { (try? LoopbackHTTP.request("GET", port: port, path: "/", timeoutMs: 300)) == nil },
                "the server stopped answering after its test process died")
    }
}
