import ArgumentParser
import Foundation
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirTable
import WeirTextFormats

/// `weir table`: create, write, scan and maintain Paimon tables in a filesystem warehouse.
struct TableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Create, write, scan and maintain Apache Paimon tables in a warehouse (file:// or s3://).",
        subcommands: [Create.self, Write.self, Scan.self, Snapshots.self, Tag.self, Expire.self, Alter.self, Describe.self, Drop.self, Compact.self]
    )

    /// `--warehouse URI`, or `WEIR_WAREHOUSE`.
    struct WarehouseOption: ParsableArguments {
        @Option(name: .long, help: "The warehouse root (file:// or s3:// URI, or a local path); default $WEIR_WAREHOUSE.")
        var warehouse: String?

        func open() throws -> Warehouse {
            guard let text = warehouse ?? ProcessInfo.processInfo.environment["WEIR_WAREHOUSE"], !text.isEmpty else {
                throw ValidationError("give the warehouse with --warehouse URI or WEIR_WAREHOUSE")
            }
            let storage = Storage()
            let root = try storage.path(text)
            return Warehouse(io: try storage.io(for: root), root: root)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a table from a schema JSON file.",
            discussion: """
                The schema file holds "fields" (each with "name" and a Paimon "type" string such as "BIGINT NOT NULL", \
                "DECIMAL(10, 2)", "TIMESTAMP(6)"), and optionally "primaryKeys", "partitionKeys", "options" (e.g. \
                {"bucket": "4", "merge-engine": "partial-update"}) and "comment". The database is created if missing.
                """)
        @OptionGroup var warehouse: WarehouseOption
        @Option(name: .long, help: "The schema JSON file (URI or local path).") var schema: String
        @Flag(name: .long, help: "Succeed without changes if the table exists.") var ifNotExists = false
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            let warehouse = try warehouse.open()
            let identifier = try TableIdentifier(parsing: table)
            let storage = Storage()
            let path = try storage.path(schema)
            let document: SchemaDocument
            do {
                document = try SchemaDocument(parsing: try await storage.io(for: path).readAll(path, bytesMax: SchemaDocument.bytesMax))
            } catch let error as ColumnarError {
                throw ValidationError("\(path): \(error.description)")
            }
            let tableSchema: TableSchema
            do {
                tableSchema = try TableSchema.create(
                    columns: document.rowType.fields.map { TableSchema.Column($0.name, $0.type, description: $0.description) },
                    partitionKeys: document.partitionKeys, primaryKeys: document.primaryKeys, options: document.options,
                    comment: document.comment, timeMillis: currentTimeMillis())
            } catch {
                throw ValidationError("\(path): \(error.description)")
            }
            try await warehouse.createDatabase(identifier.database)
            if ifNotExists, try await warehouse.tableExists(identifier) {
                print("\(identifier) exists")
                return
            }
            try await warehouse.createTable(identifier, schema: tableSchema)
            print("created \(identifier) at \(try warehouse.tablePath(identifier))")
        }
    }

    struct Write: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write rows from JSONL, CSV or Parquet files into a table as one commit.",
            discussion: """
                Columns are matched by name; table columns missing from the input are NULL. Values in JSONL and CSV use \
                the encoding of fixtures/pypaimon/make_fixtures.py (dates "YYYY-MM-DD", decimals as strings, bytes as hex). \
                Row kinds come from the table's 'rowkind.field' column, else from the input column named by --op-column \
                (values +I, -U, +U, -D), else every row is +I. Either every row is committed or none: a bad row \
                (named by line and column) stops the write before anything is committed.
                """)
        @OptionGroup var warehouse: WarehouseOption
        @Option(name: .long, help: "Input files (URIs or local paths): .jsonl, .csv or .parquet.") var input: [String]
        @Option(name: .long, help: "Input format (default: from each file's extension or magic).") var format: InputFormat?
        @Option(name: .long, help: "The input column holding the row kind (+I, -U, +U, -D).") var opColumn = TableInput.defaultOpColumn
        @Option(name: .long, help: "Commit user (default: a new UUID); with --commit-identifier a replayed commit is skipped.") var commitUser: String?
        @Option(name: .long, help: "Commit identifier (with --commit-user).") var commitIdentifier: Int64?
        @Argument(help: "DATABASE.TABLE") var table: String

        func validate() throws {
            if (commitUser == nil) != (commitIdentifier == nil) {
                throw ValidationError("give --commit-user and --commit-identifier together (a replay of the pair is skipped), or neither")
            }
        }

        func run() async throws {
            let warehouse = try warehouse.open()
            let fileTable = try await warehouse.table(try TableIdentifier(parsing: table))
            let started = ContinuousClock.now
            let user = commitUser ?? UUID().uuidString.lowercased()
            var write = try await fileTable.newWrite(commitUser: user)
            var rows = 0
            do {
                for location in input {
                    let storage = Storage()
                    let path = try storage.path(location)
                    let input = try await TableInput.read(io: try storage.io(for: path), path: path,
                                                          format: format.map { TableInput.Format(rawValue: $0.rawValue)! },
                                                          schema: fileTable.schema, opColumn: opColumn)
                    for batch in input {
                        try await write.write(batch.values, rowKinds: batch.rowKinds)
                        rows += batch.values.rowCount
                    }
                }
                let message = try await write.prepareCommit()
                let outcome = try await fileTable.commit(message, commitUser: user, identifier: commitIdentifier ?? Snapshot.batchCommitIdentifier)
                let seconds = (ContinuousClock.now - started).seconds
                switch outcome {
                case .committed(let id):
                    print("wrote \(rows) rows in \(message.newFiles.count) files to \(fileTable.name): snapshot \(id) (\(String(format: "%.2f", seconds)) s)")
                case .alreadyCommitted(let id):
                    await write.abort()
                    print("commit \(commitIdentifier ?? Snapshot.batchCommitIdentifier) of \(user) was already committed as snapshot \(id); nothing written")
                case .empty:
                    print("no rows to write; nothing committed")
                }
            } catch {
                await write.abort()
                throw error
            }
        }
    }

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a table's merged rows (latest, or a snapshot, tag or time).",
            discussion: """
                JSONL output uses the value encoding of fixtures/pypaimon/make_fixtures.py, so it compares directly with \
                fixtures/pypaimon/expected/*.json. --where takes comparisons (=, !=, <, <=, >, >=), IS [NOT] NULL, \
                IN (...), BETWEEN, AND, OR, NOT, e.g. "dt = '2024-01-01' AND score > 10". Partitions, buckets and files \
                that cannot match are skipped.
                With --changelog the output is the change stream from --from-snapshot N (default: the earliest) to the \
                latest snapshot instead: each snapshot's changelog files when the table has a 'changelog-producer', \
                else the files its APPEND snapshots added; one record per line with a leading "_kind" column (+I, -U, \
                +U, -D), in snapshot order and, inside a snapshot, in sequence order.
                """)
        @OptionGroup var warehouse: WarehouseOption
        @Option(name: .long, help: "Read snapshot N.") var snapshot: Int64?
        @Option(name: .long, help: "Read the snapshot of tag T.") var tag: String?
        @Option(name: .long, help: "Read the latest snapshot at or before this time (epoch milliseconds).") var timestamp: Int64?
        @Option(name: .long, help: "Only these columns, comma-separated.") var select: String?
        @Option(name: .long, help: "A filter expression.") var `where`: String?
        @Option(name: .long, help: "jsonl, csv, parquet or table.") var format: OutputFormat = .jsonl
        @Option(name: .long, help: "Write to this file (URI or path) instead of standard output.") var output: String?
        @Flag(name: .long, help: "Also read level-0 files of first-row and deletion-vector tables (Paimon's batch scan skips them).") var allLevels = false
        @Flag(name: .long, help: "Print the change stream (records with their kind) instead of the merged rows.") var changelog = false
        @Option(name: .long, help: "With --changelog: start at snapshot N (default: the earliest).") var fromSnapshot: Int64?
        @Argument(help: "DATABASE.TABLE") var table: String

        func validate() throws {
            if [snapshot != nil, tag != nil, timestamp != nil].filter({ $0 }).count > 1 {
                throw ValidationError("give at most one of --snapshot, --tag and --timestamp")
            }
            if fromSnapshot != nil && !changelog { throw ValidationError("--from-snapshot needs --changelog") }
            if changelog && (snapshot != nil || tag != nil || timestamp != nil || allLevels) {
                throw ValidationError("--changelog reads from --from-snapshot on; it does not take --snapshot, --tag, --timestamp or --all-levels")
            }
            if format == .parquet && output == nil { throw ValidationError("--format parquet needs --output") }
        }

        func run() async throws {
            let warehouse = try warehouse.open()
            let fileTable = try await warehouse.table(try TableIdentifier(parsing: table))
            let projection = select.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            if changelog {
                let filter = try `where`.map { try PredicateParser(fields: fileTable.schema.fields).parse($0) }
                let start: Int64
                if let fromSnapshot {
                    start = fromSnapshot
                } else {
                    start = try await fileTable.snapshots.earliestId() ?? 1
                }
                let changes = try await fileTable.readChanges(from: start, projection: projection, filter: filter)
                try await ScanOutput.emit(changes.rows(), format: format, output: output)
                return
            }
            let selector: SnapshotSelector = snapshot.map { .id($0) } ?? tag.map { .tag($0) } ?? timestamp.map { .timestamp(millis: $0) } ?? .latest
            let resolved = try await fileTable.resolve(selector)
            let filter = try `where`.map { try PredicateParser(fields: resolved.schema.fields).parse($0) }
            let plan = try await fileTable.plan(resolved, filter: filter, allLevels: allLevels)
            let result = try await fileTable.read(plan, projection: projection, filter: filter)
            try await ScanOutput.emit(result, format: format, output: output)
        }
    }

    struct Snapshots: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a table's snapshots.")
        @OptionGroup var warehouse: WarehouseOption
        @Flag(name: .long, help: "One JSON object per snapshot.") var json = false
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            let fileTable = try await warehouse.open().table(try TableIdentifier(parsing: table))
            let snapshots = try await fileTable.allSnapshots()
            if json {
                for s in snapshots { print(s.toJson().replacingOccurrences(of: "\n", with: "")) }
                return
            }
            func row(_ cells: [String]) -> String {
                let widths = [8, 9, 23, 6, 12, 12]
                return zip(cells, widths).enumerated().map { index, pair in
                    let (cell, width) = pair
                    let pad = String(repeating: " ", count: max(0, width - cell.count))
                    return index >= 4 ? pad + cell : cell + pad  // counts right-aligned
                }.joined(separator: " ") + "  " + cells[6]
            }
            print(row(["id", "kind", "time (UTC)", "schema", "records", "delta", "commit user / identifier"]))
            for s in snapshots {
                print(row(["\(s.id)", s.commitKind.rawValue, TimeText.utc(millis: s.timeMillis), "\(s.schemaId)",
                           "\(s.totalRecordCount ?? 0)", "\(s.deltaRecordCount ?? 0)", "\(s.commitUser) / \(s.commitIdentifier)"]))
            }
        }
    }

    struct Tag: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and delete tags (named snapshots kept past expiration).",
            subcommands: [TagCreate.self, TagList.self, TagDelete.self])
    }

    struct TagCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Tag a snapshot (default: the latest).")
        @OptionGroup var warehouse: WarehouseOption
        @Option(name: .long, help: "The snapshot to tag.") var snapshot: Int64?
        @Argument(help: "DATABASE.TABLE") var table: String
        @Argument(help: "The tag name.") var name: String

        func run() async throws {
            let fileTable = try await warehouse.open().table(try TableIdentifier(parsing: table))
            let target: Snapshot
            if let snapshot {
                target = try await fileTable.snapshots.snapshot(snapshot)
            } else {
                guard let latest = try await fileTable.snapshots.latest() else {
                    throw ValidationError("\(fileTable.name) has no snapshot to tag")
                }
                target = latest
            }
            try await fileTable.tags.create(name: name, snapshot: target, timeRetained: nil)
            print("tagged snapshot \(target.id) of \(fileTable.name) as \(name)")
        }
    }

    struct TagList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tags and their snapshots.")
        @OptionGroup var warehouse: WarehouseOption
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            let fileTable = try await warehouse.open().table(try TableIdentifier(parsing: table))
            for tag in try await fileTable.tags.list() {
                print("\(tag.name)\tsnapshot \(tag.snapshot.id)\t\(TimeText.utc(millis: tag.snapshot.timeMillis))")
            }
        }
    }

    struct TagDelete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a tag (its files go at the next expiration).")
        @OptionGroup var warehouse: WarehouseOption
        @Argument(help: "DATABASE.TABLE") var table: String
        @Argument(help: "The tag name.") var name: String

        func run() async throws {
            let fileTable = try await warehouse.open().table(try TableIdentifier(parsing: table))
            guard try await fileTable.tags.delete(name) else { throw ValidationError("\(fileTable.name) has no tag \(name)") }
            print("deleted tag \(name) of \(fileTable.name)")
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Expire old snapshots (and with --orphans delete files nothing references).",
            discussion: """
                Keeps at least snapshot.num-retained.min snapshots (default 10), at most snapshot.num-retained.max, and \
                expires older ones past snapshot.time-retained (default 1 h); the options below override the table's. \
                Only files no retained snapshot or tag references are deleted.
                """)
        @OptionGroup var warehouse: WarehouseOption
        @Option(name: .long, help: "Keep at least this many snapshots.") var retainMin: Int32?
        @Option(name: .long, help: "Keep at most this many snapshots.") var retainMax: Int32?
        @Option(name: .long, help: "Expire snapshots older than this (e.g. 1h, 30min, 7d).") var olderThan: String?
        @Flag(name: .long, help: "Also delete orphan files (unreferenced and older than --orphan-age).") var orphans = false
        @Option(name: .long, help: "Orphan files younger than this are kept (default 1d).") var orphanAge = "1d"
        @Flag(name: .long, help: "With --orphans: list the orphan files without deleting them.") var dryRun = false
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            let fileTable = try await warehouse.open().table(try TableIdentifier(parsing: table))
            var overrides: [String: String] = [:]
            if let retainMin { overrides["snapshot.num-retained.min"] = String(retainMin) }
            if let retainMax { overrides["snapshot.num-retained.max"] = String(retainMax) }
            if let olderThan { overrides["snapshot.time-retained"] = olderThan }
            let report = try await fileTable.expireSnapshots(optionOverrides: overrides)
            print("expired \(report.expiredSnapshots.count) snapshots\(report.expiredSnapshots.isEmpty ? "" : " (\(report.expiredSnapshots.first!) to \(report.expiredSnapshots.last!))"), deleted \(report.deletedFileCount) files")
            if orphans {
                let age: Duration
                do { age = try TimeUtils.parseDuration(orphanAge) } catch { throw ValidationError("--orphan-age \(orphanAge): \(error.message)") }
                let removed = try await fileTable.removeOrphanFiles(olderThan: age, dryRun: dryRun)
                print("\(dryRun ? "would delete" : "deleted") \(removed.count) orphan files")
                for file in removed { print("  \(file.path) (\(file.size) bytes)") }
            }
        }
    }

    struct Alter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evolve a table's schema: add, rename, drop or widen columns, set or remove options.",
            discussion: "Old files are read under the new schema (columns are matched by field id).")
        @OptionGroup var warehouse: WarehouseOption
        @Option(name: .long, help: "Add a nullable column: \"NAME TYPE\" (e.g. \"note STRING\").") var addColumn: [String] = []
        @Option(name: .long, help: "Rename a column: OLD=NEW.") var renameColumn: [String] = []
        @Option(name: .long, help: "Drop a column.") var dropColumn: [String] = []
        @Option(name: .long, help: "Widen a column's type: \"NAME TYPE\" (e.g. \"qty BIGINT\").") var alterColumn: [String] = []
        @Option(name: .long, help: "Set an option: KEY=VALUE.") var set: [String] = []
        @Option(name: .long, help: "Remove an option.") var unset: [String] = []
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            let fileTable = try await warehouse.open().table(try TableIdentifier(parsing: table))
            var changes: [SchemaChange] = []
            func nameAndType(_ text: String, _ flag: String) throws -> (String, DataType) {
                let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
                guard parts.count == 2 else { throw ValidationError("\(flag) \"\(text)\": expected \"NAME TYPE\"") }
                do { return (String(parts[0]), try DataType(parsing: String(parts[1]).trimmingCharacters(in: .whitespaces))) } catch {
                    throw ValidationError("\(flag) \"\(text)\": \(error)")
                }
            }
            func pair(_ text: String, _ flag: String) throws -> (String, String) {
                guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { throw ValidationError("\(flag) \"\(text)\": expected A=B") }
                return (String(text[..<eq]), String(text[text.index(after: eq)...]))
            }
            for text in addColumn { let (n, t) = try nameAndType(text, "--add-column"); changes.append(.addColumn(name: n, type: t, description: nil)) }
            for text in renameColumn { let (a, b) = try pair(text, "--rename-column"); changes.append(.renameColumn(from: a, to: b)) }
            for name in dropColumn { changes.append(.dropColumn(name: name)) }
            for text in alterColumn { let (n, t) = try nameAndType(text, "--alter-column"); changes.append(.updateColumnType(name: n, type: t)) }
            for text in set { let (k, v) = try pair(text, "--set"); changes.append(.setOption(key: k, value: v)) }
            for key in unset { changes.append(.removeOption(key: key)) }
            guard !changes.isEmpty else { throw ValidationError("nothing to change: give --add-column, --rename-column, --drop-column, --alter-column, --set or --unset") }
            let altered = try await fileTable.alter(changes)
            print("\(fileTable.name) now has schema \(altered.schema.id)")
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a table's schema, options, snapshots and files.")
        @OptionGroup var warehouse: WarehouseOption
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            let fileTable = try await warehouse.open().table(try TableIdentifier(parsing: table))
            print(try await fileTable.describe())
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a table and all its files.")
        @OptionGroup var warehouse: WarehouseOption
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            let identifier = try TableIdentifier(parsing: table)
            guard try await warehouse.open().dropTable(identifier) else { throw ValidationError("no table \(identifier)") }
            print("dropped \(identifier)")
        }
    }
}

enum InputFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, csv, parquet
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, csv, parquet, table
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

enum TimeText {
    /// `2026-11-21 09:13:00.123` for epoch milliseconds.
    static func utc(millis: Int64) -> String {
        let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let ms = millis - days * 86_400_000
        return CivilTime.date(days: days) + " " + CivilTime.timeOfDay(millis: Int32(ms))
    }
}
