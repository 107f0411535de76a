import Foundation
import Testing
import WeirCodecs
import WeirColumnar
import WeirTestSupport
@testable import WeirParquet

/// Valid files (the committed fuzz seeds: Weir-written and pyarrow-written, v1 and v2 pages, every encoding) mutated
/// for many seeds: truncated, bits flipped, ranges overwritten, bytes inserted, length and offset fields rewritten in
/// the footer and in page headers. Every read must end in a ``ParquetError`` or in batches that pass
/// `ColumnBatch.validate()`; a trap would end the test process.
@Suite struct MutatedFileTests {
    static var corpus: [(String, [UInt8])] {
        let directory = PackageRoot.path + "/Fuzz/corpus/parquet"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".parquet") }.sorted()
        return names.compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).map { (name, [UInt8]($0)) }
        }
    }

    @Test func seedsAreValid() throws {
        let corpus = Self.corpus
        #expect(corpus.count >= 10)
        for (name, bytes) in corpus {
            let (_, batches) = try ParquetFile.readBatches(bytes: bytes, name: name, options: .small)
            #expect(!batches.isEmpty, "\(name)")
            for batch in batches { try batch.validate() }
        }
    }

    enum Outcome { case error, valid }

    static func read(_ bytes: [UInt8], name: String) -> Outcome {
        do {
            let (_, batches) = try ParquetFile.readBatches(bytes: bytes, name: name, options: .small)
            for batch in batches {
                do {
                    try batch.validate()
                } catch {
                    Issue.record("\(name): an invalid batch came back: \(error)")
                }
            }
            _ = try ParquetFile.inspect(bytes: bytes, name: name, options: .small)
            return .valid
        } catch {
            #expect(error.file == name)
            #expect(!error.message.isEmpty)
            return .error
        }
    }

    static func footerRange(_ bytes: [UInt8]) -> Range<Int> {
        let n = bytes.count
        let length = Int(UInt32(bytes[n - 8]) | UInt32(bytes[n - 7]) << 8 | UInt32(bytes[n - 6]) << 16 | UInt32(bytes[n - 5]) << 24)
        return max(0, n - 8 - length) ..< n
    }

    /// One mutation of `file` chosen by `random`.
    static func mutate(_ file: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = file
        let n = bytes.count
        func position() -> Int {
            // Half of the mutations land in the footer, where most structure is.
            let footer = footerRange(file)
            if random.next() % 2 == 0 && !footer.isEmpty { return Int.random(in: footer, using: &random) }
            return Int(random.next() % UInt64(n))
        }
        switch random.next() % 8 {
        case 0:
            bytes.removeLast(Int(random.next() % UInt64(n)))
        case 1:
            for _ in 0..<(1 + random.next() % 8) { bytes[position()] ^= UInt8(1) << UInt8(random.next() % 8) }
        case 2:
            let at = position()
            for i in at ..< min(n, at + 1 + Int(random.next() % 16)) { bytes[i] = UInt8(truncatingIfNeeded: random.next()) }
        case 3:
            let at = position()
            let fill: UInt8 = random.next() % 2 == 0 ? 0 : 0xff
            for i in at ..< min(n, at + 1 + Int(random.next() % 8)) { bytes[i] = fill }
        case 4:
            let at = position()
            bytes.insert(contentsOf: (0..<(1 + random.next() % 4)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        case 5:
            // A varint-sized field rewritten with a large or negative zigzag value (lengths, counts, offsets).
            let at = position()
            let values: [UInt64] = [0x7f, 0xff, 0xffff_fffe, 0x1_0000_0000, UInt64(Int64.max) << 1, 1, 3]
            var v = values[Int(random.next() % UInt64(values.count))]
            var i = at
            while i < n {
                bytes[i] = UInt8(v & 0x7f) | (v >= 0x80 && i + 1 < n ? 0x80 : 0)
                v >>= 7
                i += 1
                if v == 0 { break }
            }
        case 6:
            // The footer length field.
            let value = UInt32(truncatingIfNeeded: random.next() % 3 == 0 ? random.next() : UInt64(footerRange(file).count) + random.next() % 64 - 32)
            withUnsafeBytes(of: value.littleEndian) { raw in for k in 0..<4 { bytes[n - 8 + k] = raw[k] } }
        default:
            // Structured: a size, count or offset in the metadata changed.
            guard var metadata = try? FileSurgery.metadata(file), !metadata.rowGroups.isEmpty else { return bytes }
            let g = Int(random.next() % UInt64(metadata.rowGroups.count))
            let c = Int(random.next() % UInt64(max(1, metadata.rowGroups[g].columns.count)))
            let delta = Int64(random.next() % 41) - 20
            switch random.next() % 5 {
            case 0: metadata.rowGroups[g].numRows += delta
            case 1: metadata.rowGroups[g].columns[c].metaData?.numValues += delta
            case 2: metadata.rowGroups[g].columns[c].metaData?.totalCompressedSize += delta
            case 3: metadata.rowGroups[g].columns[c].metaData?.dataPageOffset += delta
            default:
                let dataPageOffset = metadata.rowGroups[g].columns[c].metaData?.dataPageOffset ?? 0
                metadata.rowGroups[g].columns[c].metaData?.dictionaryPageOffset = dataPageOffset + delta
            }
            return FileSurgery.replacingMetadata(file, metadata)
        }
        return bytes
    }

    @Test func mutatedFilesFailCleanly() throws {
        let corpus = Self.corpus
        var random = SplitMix64(seed: 0x5eed)
        var errors = 0, valid = 0
        let perFile = 180
        for (name, file) in corpus {
            for i in 0..<perFile {
                let mutated = Self.mutate(file, &random)
                switch Self.read(mutated, name: "\(name)#\(i)") {
                case .error: errors += 1
                case .valid: valid += 1
                }
            }
        }
        #expect(errors + valid == corpus.count * perFile)
        // Most mutations break the file; some (in padding, statistics or unread metadata) leave it readable.
        #expect(errors > valid)
        print("mutated files: \(errors) errors, \(valid) still valid, over \(corpus.count) seeds")
    }

    @Test func pageHeaderFieldsRewritten() async throws {
        // Every numeric field of every page header of a Weir file and a pyarrow v2 file, set to edge values.
        let files = Self.corpus.filter { ["weir-nested-uncompressed-pages.parquet", "pyarrow-v2.parquet"].contains($0.0) }
        #expect(files.count == 2)
        let edges: [Int32] = [-1, 0, Int32.max, 3]
        var outcomes = 0
        for (name, file) in files {
            let metadata = try FileSurgery.metadata(file)
            for column in metadata.rowGroups[0].columns.indices {
                let pages = try FileSurgery.pages(file, rowGroup: 0, column: column)
                for page in pages.indices {
                    for edge in edges {
                        let edits: [(inout PageHeader) -> Void] = [
                            { $0.uncompressedPageSize = edge }, { $0.compressedPageSize = edge },
                            { $0.dataPageHeader?.numValues = edge }, { $0.dataPageHeaderV2?.numValues = edge },
                            { $0.dataPageHeaderV2?.numNulls = edge }, { $0.dataPageHeaderV2?.numRows = edge },
                            { $0.dataPageHeaderV2?.definitionLevelsByteLength = edge },
                            { $0.dataPageHeaderV2?.repetitionLevelsByteLength = edge },
                            { $0.dictionaryPageHeader?.numValues = edge }, { $0.type = edge },
                        ]
                        for edit in edits {
                            var edited = pages[page].header
                            edit(&edited)
                            guard edited != pages[page].header else { continue }
                            let mutated = try FileSurgery.editingPageHeader(file, column: column, page: page, edit)
                            _ = Self.read(mutated, name: name)
                            outcomes += 1
                        }
                    }
                }
            }
        }
        #expect(outcomes > 500)
    }
}
