import ArgumentParser
import Foundation
import WeirAvro
import WeirColumnar
import WeirFileIO
import WeirORC
import WeirParquet
import WeirTextFormats

/// `weir file`: inspect and convert single data files on any FileIO backend.
struct FileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "Inspect Parquet, ORC and Avro files, and convert between them and JSONL or CSV.",
        subcommands: [Inspect.self, Convert.self]
    )

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a file's schema, row groups or stripes or blocks, encodings, codecs and statistics.",
            discussion: "The format is recognised from the file's magic bytes (Paimon's manifests have no extension).")

        @Argument(help: "Files (URIs or local paths).")
        var locations: [String]

        func run() async throws {
            let storage = Storage()
            for (index, location) in locations.enumerated() {
                let path = try storage.path(location)
                let io = try storage.io(for: path)
                if index > 0 { print("") }
                switch try await ConvertibleFormat.sniff(io: io, path: path) {
                case .parquet: print(try await ParquetFile.inspect(io: io, path: path))
                case .orc: print(try await ORCFile.inspect(io: io, path: path))
                case .avro: print(try await AvroFile.inspect(io: io, path: path))
                case .jsonl, .csv:
                    throw ValidationError("\(path): JSONL and CSV files have no metadata to inspect")
                }
            }
        }
    }

    struct Convert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a file between JSONL, CSV, Parquet, ORC and Avro.",
            discussion: """
                The input format comes from the file's magic bytes (Parquet, ORC, Avro) or its extension (.jsonl, \
                .ndjson, .json, .csv); the output format from --to or the output's extension. Parquet, ORC and Avro \
                inputs carry their schema; JSONL and CSV inputs need --schema, a Paimon schema JSON \
                ({"fields": [{"name": "id", "type": "BIGINT NOT NULL"}, ...]}). Values in JSONL and CSV use the \
                encoding of ../shared/fixtures/pypaimon/make_fixtures.py (dates "YYYY-MM-DD", timestamps \
                "YYYY-MM-DDTHH:MM:SS.ffffff", decimals as strings, bytes as hex).
                """)

        @Option(name: .long, help: "Paimon schema JSON for JSONL or CSV input.")
        var schema: String?

        @Option(name: .long, help: "Output format: parquet, orc, avro, jsonl or csv (default: from the extension).")
        var to: ConvertibleFormat?

        @Option(name: .long, help: "Output compression: none, snappy, zstd[:LEVEL], gzip (Parquet), zlib (ORC), deflate[:LEVEL] (Avro), lz4 (Parquet, ORC).")
        var compression: String?

        @Option(name: .long, help: "Only these columns, comma-separated (Parquet, ORC and Avro input).")
        var select: String?

        @Flag(name: .long, help: "Replace the output if it exists.")
        var overwrite = false

        @Argument(help: "The input file (URI or local path).")
        var input: String

        @Argument(help: "The output file (URI or local path).")
        var output: String

        func run() async throws {
            let storage = Storage()
            let source = try storage.path(input)
            let target = try storage.path(output)
            let sourceIO = try storage.io(for: source)
            let targetIO = try storage.io(for: target)
            let started = ContinuousClock.now
            let sourceFormat = try await ConvertibleFormat.sniff(io: sourceIO, path: source)
            guard let targetFormat = to ?? ConvertibleFormat(extensionOf: target) else {
                throw ValidationError("cannot tell the output format from \(target.name): give --to parquet|orc|avro|jsonl|csv")
            }
            let projection = select.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }

            let rowType: RowType
            let batches: [ColumnBatch]
            switch sourceFormat {
            case .parquet: (rowType, batches) = try await ParquetFile.readBatches(io: sourceIO, path: source, projection: projection)
            case .orc: (rowType, batches) = try await ORCFile.readBatches(io: sourceIO, path: source, projection: projection)
            case .avro: (rowType, batches) = try await AvroFile.readBatches(io: sourceIO, path: source, projection: projection)
            case .jsonl, .csv:
                guard let schema else { throw ValidationError("\(source.name) is \(sourceFormat.rawValue): give its schema with --schema FILE.json") }
                guard projection == nil else { throw ValidationError("--select works on Parquet, ORC and Avro input") }
                let schemaPath = try storage.path(schema)
                let document: SchemaDocument
                do {
                    document = try SchemaDocument(parsing: try await storage.io(for: schemaPath).readAll(schemaPath, bytesMax: SchemaDocument.bytesMax))
                } catch let error as ColumnarError {
                    throw ValidationError("\(schemaPath): \(error.description)")
                }
                rowType = document.rowType
                batches = try await TextFile.readBatches(io: sourceIO, path: source, format: sourceFormat == .csv ? .csv : .jsonl, schema: rowType)
            }

            let codec = try OutputCompression(compression, for: targetFormat)
            switch targetFormat {
            case .parquet:
                var options = ParquetWriteOptions()
                if let c = codec.parquet { options.compression = c }
                _ = try await ParquetFile.write(io: targetIO, path: target, schema: rowType, batches: batches, options: options, overwrite: overwrite)
            case .orc:
                var options = ORCWriteOptions()
                if let c = codec.orc { options.compression = c }
                _ = try await ORCFile.write(io: targetIO, path: target, schema: rowType, batches: batches, options: options, overwrite: overwrite)
            case .avro:
                _ = try await AvroFile.write(io: targetIO, path: target, schema: rowType, batches: batches,
                                             codec: codec.avro ?? .zstandard(level: 1), overwrite: overwrite)
            case .jsonl, .csv:
                try await TextFile.write(io: targetIO, path: target, format: targetFormat == .csv ? .csv : .jsonl, schema: rowType,
                                         batches: batches, overwrite: overwrite)
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rows = batches.reduce(0) { $0 + $1.rowCount }
            print("converted \(rows) rows, \(rowType.fields.count) columns, from \(source) (\(sourceFormat.rawValue)) to \(target) (\(targetFormat.rawValue)\(compression.map { ", " + $0 } ?? "")) in \(String(format: "%.2f", seconds)) s")
        }
    }
}

/// The file formats `weir file` reads and writes.
enum ConvertibleFormat: String, ExpressibleByArgument, CaseIterable {
    case parquet, orc, avro, jsonl, csv

    init?(extensionOf path: StoragePath) {
        let name = path.name.lowercased()
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...] {
        case "parquet": self = .parquet
        case "orc": self = .orc
        case "avro": self = .avro
        case "jsonl", "ndjson", "json": self = .jsonl
        case "csv": self = .csv
        default: return nil
        }
    }

    /// The format of an existing file: from its magic bytes, else its extension.
    static func sniff(io: any FileIO, path: StoragePath) async throws -> ConvertibleFormat {
        let file = try await io.openForReading(path)
        let head = try await file.read(at: 0, count: 4)
        await file.close()
        if head == Array("PAR1".utf8) { return .parquet }
        if head.starts(with: Array("ORC".utf8)) { return .orc }
        if head == [0x4f, 0x62, 0x6a, 0x01] { return .avro }
        if let byName = ConvertibleFormat(extensionOf: path), byName == .jsonl || byName == .csv { return byName }
        throw ValidationError("\(path): not a Parquet, ORC or Avro file (by its first bytes) and not named .jsonl or .csv")
    }
}

/// `--compression` for one output format.
struct OutputCompression {
    var parquet: ParquetWriteOptions.Compression?
    var orc: ORCCompression?
    var avro: AvroCodec?

    init(_ text: String?, for format: ConvertibleFormat) throws {
        guard let text else { return }
        let parts = text.lowercased().split(separator: ":", maxSplits: 1)
        let name = String(parts[0])
        var level: Int32?
        if parts.count == 2 {
            guard let parsed = Int32(parts[1]) else { throw ValidationError("--compression \(text): the level must be a number") }
            level = parsed
        }
        func unsupported() -> ValidationError {
            ValidationError("--compression \(text) is not available for \(format.rawValue) output")
        }
        switch (format, name) {
        case (.parquet, "none"), (.parquet, "uncompressed"): parquet = .uncompressed
        case (.parquet, "snappy"): parquet = .snappy
        case (.parquet, "gzip"): parquet = .gzip
        case (.parquet, "zstd"): parquet = .zstd(level: level ?? 1)
        case (.parquet, "lz4"), (.parquet, "lz4_raw"): parquet = .lz4Raw
        case (.orc, "none"): orc = ORCCompression.none
        case (.orc, "zlib"): orc = .zlib
        case (.orc, "snappy"): orc = .snappy
        case (.orc, "zstd"): orc = .zstd(level: level ?? 1)
        case (.orc, "lz4"): orc = .lz4
        case (.avro, "none"), (.avro, "null"): avro = .null
        case (.avro, "deflate"): avro = .deflate(level: level ?? -1)
        case (.avro, "snappy"): avro = .snappy
        case (.avro, "zstd"), (.avro, "zstandard"): avro = .zstandard(level: level ?? 1)
        default: throw unsupported()
        }
        if level != nil, parquet != .zstd(level: level!), orc != .zstd(level: level!), avro != .zstandard(level: level!),
           avro != .deflate(level: level!) {
            throw ValidationError("--compression \(text): only zstd and deflate take a level")
        }
    }
}
