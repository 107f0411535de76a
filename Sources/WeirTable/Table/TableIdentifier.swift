/// A table's name in a warehouse: database and table (Java's `org.apache.paimon.catalog.Identifier`, without
/// branches and system tables). Written `db.table`; the table lives at `<warehouse>/<db>.db/<table>/`.
///
/// Names are 1 to `nameBytesMax` bytes of UTF-8 without `/`, `\`, control characters, a leading `.`, or the
/// names `.` and `..`, so a name can never leave the warehouse directory.
public struct TableIdentifier: Hashable, Sendable, CustomStringConvertible {
    public static let nameBytesMax = 255

    public let database: String
    public let table: String

    public init(database: String, table: String) throws(TableError) {
        try Self.validate(database, what: "database")
        try Self.validate(table, what: "table")
        self.database = database
        self.table = table
    }

    /// Parses `db.table` (the first `.` separates them).
    public init(parsing text: String) throws(TableError) {
        guard let dot = text.firstIndex(of: ".") else {
            throw TableError(.invalidInput, text, "a table is named DATABASE.TABLE")
        }
        try self.init(database: String(text[..<dot]), table: String(text[text.index(after: dot)...]))
    }

    public var description: String { "\(database).\(table)" }

    public static func validate(_ name: String, what: String) throws(TableError) {
        func bad(_ why: String) -> TableError { TableError(.invalidInput, name.debugDescription, "not a valid \(what) name: \(why)") }
        guard !name.isEmpty else { throw bad("empty") }
        guard name.utf8.count <= nameBytesMax else { throw bad("longer than \(nameBytesMax) bytes") }
        guard !name.hasPrefix(".") else { throw bad("starts with '.'") }
        for scalar in name.unicodeScalars {
            if scalar == "/" || scalar == "\\" { throw bad("contains \(scalar)") }
            if scalar.value < 0x20 || scalar.value == 0x7F { throw bad("contains a control character") }
        }
    }
}
