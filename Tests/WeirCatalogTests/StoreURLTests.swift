import Foundation
import Testing
import WeirCatalog
import WeirTestSupport

/// `StoreURL` as `weir coordinator --store` and `weir catalog --store` parse it: SQLite paths, PostgreSQL URLs, and
/// the password read from `?password-file=PATH` (how Docker/docker-compose.yml passes its secret).
@Suite struct StoreURLTests {
    /// Writes `bytes` to a new file in `scratch` and returns its path.
    static func file(_ scratch: Scratch, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = scratch.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func location(_ url: StoreURL) -> PostgresLocation? {
        if case .postgresql(let location) = url { return location }
        return nil
    }

    /// The message of the `CatalogError` parsing `text` throws, or nil when it parses.
    static func failure(_ text: String, currentDirectory: String = "/") -> String? {
        do {
            _ = try StoreURL(parsing: text, currentDirectory: currentDirectory)
            return nil
        } catch {
            return (error as? CatalogError)?.message ?? "not a CatalogError: \(error)"
        }
    }

    @Test func sqlitePathsResolveAgainstTheCurrentDirectory() throws {
        #expect(try StoreURL(parsing: "sqlite:state.db", currentDirectory: "/srv/weir") == .sqlite(path: "/srv/weir/state.db"))
        #expect(try StoreURL(parsing: "sqlite:///var/lib/weir.db") == .sqlite(path: "/var/lib/weir.db"))
        #expect(try StoreURL(parsing: "sqlite::memory:") == .sqlite(path: ":memory:"))
        #expect(Self.failure("sqlite:")?.contains("names no SQLite file") == true)
        #expect(Self.failure("mysql://u@h/db")?.contains("unknown store") == true)
    }

    @Test func postgresURLsKeepUserHostPortDatabaseAndPassword() throws {
        let url = try StoreURL(parsing: "postgres://weir:s%40cret@db.internal:6543/catalog")
        let location = try #require(Self.location(url))
        #expect(location.user == "weir" && location.password == "s@cret" && location.host == "db.internal" && location.port == 6543 && location.database == "catalog")
        #expect(url.description == "postgresql://weir@db.internal:6543/catalog", "the description leaves the password out")
        let bare = try #require(Self.location(try StoreURL(parsing: "postgresql://weir@postgres/weir")))
        #expect(bare.password == nil && bare.port == 5432)
    }

    @Test func thePasswordComesFromThePasswordFile() throws {
        let scratch = try Scratch("store-url")
        defer { scratch.remove() }
        let secret = try Self.file(scratch, "pg", Array("Zebra-42 ü\n".utf8))
        let url = try StoreURL(parsing: "postgresql://weir@postgres:5432/weir?password-file=\(secret)")
        let location = try #require(Self.location(url))
        #expect(location.password == "Zebra-42 ü", "one trailing line break is not part of the password")
        #expect(location.user == "weir" && location.host == "postgres" && location.database == "weir")
        #expect(!url.description.contains("Zebra"))

        _ = try Self.file(scratch, "crlf", Array("abc\r\n".utf8))
        let relative = try StoreURL(parsing: "postgres://weir@h/db?sslmode=disable&password-file=crlf", currentDirectory: scratch.path)
        #expect(Self.location(relative)?.password == "abc", "a relative path is read from the current directory; CRLF is one line break")
    }

    @Test func aMissingEmptyOrOddPasswordFileIsAnErrorNamingIt() throws {
        let scratch = try Scratch("store-url-bad")
        defer { scratch.remove() }
        let missing = scratch.path + "/absent"
        #expect(Self.failure("postgresql://weir@h/db?password-file=\(missing)")?.contains("cannot read the PostgreSQL password file \(missing)") == true)
        let empty = try Self.file(scratch, "empty", [])
        #expect(Self.failure("postgresql://weir@h/db?password-file=\(empty)") == "the PostgreSQL password file \(empty) is empty")
        let newline = try Self.file(scratch, "newline", [0x0A])
        #expect(Self.failure("postgresql://weir@h/db?password-file=\(newline)") == "the PostgreSQL password file \(newline) is empty")
        let long = try Self.file(scratch, "long", Array(repeating: 0x61, count: StoreURL.passwordFileBytesMax + 1))
        #expect(Self.failure("postgresql://weir@h/db?password-file=\(long)")?.contains("longer than \(StoreURL.passwordFileBytesMax) bytes") == true)
        let longest = try Self.file(scratch, "longest", Array(repeating: 0x61, count: StoreURL.passwordFileBytesMax))
        #expect(Self.location(try StoreURL(parsing: "postgresql://weir@h/db?password-file=\(longest)"))?.password?.count == StoreURL.passwordFileBytesMax)
        let twoLines = try Self.file(scratch, "two", Array("a\nb\n".utf8))
        #expect(Self.failure("postgresql://weir@h/db?password-file=\(twoLines)")?.contains("one line of UTF-8") == true)
        let binary = try Self.file(scratch, "binary", [0x61, 0xFF, 0x62])
        #expect(Self.failure("postgresql://weir@h/db?password-file=\(binary)")?.contains("one line of UTF-8") == true)
        #expect(Self.failure("postgresql://weir@h/db?password-file=")?.contains("password-file=PATH") == true)
        #expect(Self.failure("postgresql://weir@h/db?password-file=\(empty)&password-file=\(long)")?.contains("password-file=PATH") == true)
        let good = try Self.file(scratch, "good", Array("pw".utf8))
        #expect(Self.failure("postgresql://weir:inline@h/db?password-file=\(good)")?.contains("a password in the URL and a password-file") == true)
    }
}
