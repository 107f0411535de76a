import WeirColumnar
import WeirFileIO

/// One stripe of an open file: where it is, how many rows it holds, and its statistics (by ORC column id; empty
/// when the file has no stripe statistics).
public struct ORCStripe: Sendable, Equatable {
    public var index: Int
    public var information: ORCStripeInformation
    public var statistics: [ORCColumnStatistics]

    public var rowCount: Int { Int(information.numberOfRows) }
}

/// Reads an ORC file through a ``ReadableFile`` with ranged reads: the last 16 KiB first (postscript, footer and
/// usually the metadata), the rest of the tail only if it is longer, then per stripe its footer and only the
/// streams of the selected columns (neighbouring streams within 256 KiB are fetched in one read).
///
/// ``schema`` is the file's schema in Paimon types (see ``ORCSchema``) or the caller's target schema
/// (``ORCReadOptions/targetSchema``). Reads give ``ColumnBatch`` values that pass `ColumnBatch.validate()`.
/// Every problem with the file's bytes is an ``ORCError`` naming the file, where, and what; I/O failures are the
/// ``FileIOError`` of the store. Supports ORC v0 and v1 files (RLE v1 and v2, dictionary and direct strings,
/// every codec but LZO and Brotli); not UNION columns or column encryption. TIMESTAMP values are taken as
/// wall-clock seconds from 2015-01-01 in the writer's zone, exact for every zone without daylight-saving shifts
/// between the value and 2015-01-01 (files from Weir, pyarrow and the ORC C++ writer use GMT). Not for
/// concurrent use.
public final class ORCFileReader: Sendable {
    public let name: String
    public let fileSize: Int64
    public let postScript: ORCPostScript
    public let footer: ORCFooter
    public let metadata: ORCMetadata
    public let options: ORCReadOptions
    /// The schema reads return (the target schema when one was given).
    public let schema: RowType
    /// The file's own schema in Paimon types.
    public let fileSchema: RowType
    public let stripes: [ORCStripe]

    let file: any ReadableFile
    let root: ORCTypeNode
    let decompressor: ORCDecompressor
    /// For each field of ``schema``, the file's column it reads from (nil: the file lacks it, reads as nulls).
    let sources: [ORCTypeNode?]
    /// The dotted name of each column id, for error locations.
    let columnNames: [String]

    /// Bytes read from the end of the file first.
    public static let tailReadBytes = 16 * 1024
    /// Gap between two needed streams below which they are fetched in one read.
    static let coalesceGapBytes = 256 * 1024

    /// Opens `path` through `io`.
    public static func open(io: any FileIO, path: StoragePath, options: ORCReadOptions = ORCReadOptions()) async throws -> ORCFileReader {
        let file = try await io.openForReading(path)
        do {
            return try await ORCFileReader(file: file, options: options)
        } catch {
            await file.close()
            throw error
        }
    }

    /// Reads and checks the file's tail.
    public init(file: any ReadableFile, options: ORCReadOptions = ORCReadOptions()) async throws {
        self.file = file
        self.options = options
        name = file.path.description
        fileSize = file.size
        let limits = options.limits
        let name = self.name
        func fail(_ location: String, _ message: String) -> ORCError { ORCError(file: name, location: location, message) }

        guard fileSize >= 4 else { throw fail("file", "\(fileSize) bytes is too short for an ORC file") }
        let tailStart = max(0, fileSize - Int64(Self.tailReadBytes))
        var tail = try await file.read(at: tailStart, count: Int(fileSize - tailStart))
        guard Int64(tail.count) == fileSize - tailStart else { throw fail("file", "short read of the tail") }
        let postScriptLength = Int(tail[tail.count - 1])
        guard postScriptLength > 0, postScriptLength + 1 <= tail.count, Int64(postScriptLength + 1) < fileSize else {
            throw fail("postscript", "postscript length \(postScriptLength) does not fit the file of \(fileSize) bytes")
        }
        let postScriptBytes = Array(tail[(tail.count - 1 - postScriptLength)..<(tail.count - 1)])
        do {
            postScript = try ORCPostScript.decode(postScriptBytes, context: "postscript")
        } catch {
            throw error.in(file: name)
        }
        if let magic = postScript.magic {
            guard magic == "ORC" else { throw fail("postscript", "magic is \"\(magic.prefix(16))\", not \"ORC\"") }
        } else {
            // Hive 0.11 files carry the magic only at the start.
            let head = try await file.read(at: 0, count: 3)
            guard head == ORCFileWriter.magic else { throw fail("header", "the file does not start with \"ORC\" and the postscript has no magic") }
        }
        if postScript.version.count >= 2, postScript.version[0] > 1 {
            throw fail("postscript", "file version \(postScript.version.map(String.init).joined(separator: ".")) is not supported")
        }
        guard postScript.footerLength <= UInt64(limits.tailBytesMax), postScript.metadataLength <= UInt64(limits.tailBytesMax),
              postScript.stripeStatisticsLength <= UInt64(limits.tailBytesMax) else {
            throw fail("postscript", "footer (\(postScript.footerLength) bytes) or metadata (\(postScript.metadataLength) bytes) is over the limit of \(limits.tailBytesMax)")
        }
        let footerLength = Int(postScript.footerLength), metadataLength = Int(postScript.metadataLength)
        let tailLength = 1 + postScriptLength + footerLength + metadataLength + Int(postScript.stripeStatisticsLength)
        guard Int64(tailLength) <= fileSize - 3 else {
            throw fail("postscript", "footer of \(footerLength) and metadata of \(metadataLength) bytes run past the start of the file of \(fileSize) bytes")
        }
        if tailLength > tail.count {
            let more = try await file.read(at: fileSize - Int64(tailLength), count: tailLength - tail.count)
            guard more.count == tailLength - tail.count else { throw fail("file", "short read of the tail") }
            tail = more + tail
        }
        do {
            decompressor = try ORCDecompressor(kind: postScript.compression, blockSize: postScript.compressionBlockSize)
            let footerEnd = tail.count - 1 - postScriptLength
            let footerStart = footerEnd - footerLength
            let metadataStart = footerStart - metadataLength
            let footerBytes = try decompressor.decompress(tail[footerStart..<footerEnd], bytesMax: limits.tailBytesMax, context: "footer")
            footer = try ORCFooter.decode(footerBytes, context: "footer")
            if metadataLength > 0 {
                let metadataBytes = try decompressor.decompress(tail[metadataStart..<footerStart], bytesMax: limits.tailBytesMax, context: "metadata")
                metadata = try ORCMetadata.decode(metadataBytes, context: "metadata")
            } else {
                metadata = ORCMetadata()
            }
            root = try ORCSchema.tree(footer.types)
            columnNames = ORCInspection.columnNames(root)
            fileSchema = try ORCSchema.rowType(of: root)
        } catch {
            throw error.in(file: name)
        }
        guard !footer.hasEncryption else { throw fail("footer", "column encryption is not supported") }

        // Stripes must lie between the header and the tail, in order, without overlapping.
        let contentEnd = UInt64(fileSize) - UInt64(tailLength)
        var previousEnd: UInt64 = 3
        var stripes: [ORCStripe] = []
        let statistics = metadata.stripeStatistics.count == footer.stripes.count ? metadata.stripeStatistics : nil
        for (index, info) in footer.stripes.enumerated() {
            let (indexEnd, o1) = info.offset.addingReportingOverflow(info.indexLength)
            let (dataEnd, o2) = indexEnd.addingReportingOverflow(info.dataLength)
            let (end, o3) = dataEnd.addingReportingOverflow(info.footerLength)
            guard !o1, !o2, !o3, info.offset >= previousEnd, end <= contentEnd else {
                throw fail("stripe \(index)", "offset \(info.offset) with \(info.indexLength) + \(info.dataLength) + \(info.footerLength) bytes lies outside \(previousEnd)..<\(contentEnd)")
            }
            guard info.numberOfRows <= UInt64(limits.stripeRowsMax) else {
                throw fail("stripe \(index)", "\(info.numberOfRows) rows is over the limit of \(limits.stripeRowsMax)")
            }
            guard info.footerLength > 0, info.footerLength <= UInt64(limits.stripeFooterBytesMax) else {
                throw fail("stripe \(index)", "stripe footer of \(info.footerLength) bytes is outside 1...\(limits.stripeFooterBytesMax)")
            }
            previousEnd = end
            stripes.append(ORCStripe(index: index, information: info, statistics: statistics?[index].columns ?? []))
        }
        self.stripes = stripes

        // The schema to read into, and where each of its fields comes from.
        if let target = options.targetSchema {
            do {
                try target.validate()
            } catch {
                throw fail("target schema", error.description)
            }
            var sources: [ORCTypeNode?] = []
            for field in target.fields {
                if let index = root.type.fieldNames.firstIndex(of: field.name) {
                    do {
                        try ReadCompatibility.check(root.children[index], as: field.type, path: field.name)
                    } catch {
                        throw error.in(file: name)
                    }
                    sources.append(root.children[index])
                } else {
                    guard field.type.isNullable else { throw fail("column \(field.name)", "the file has no such column and the type is NOT NULL") }
                    sources.append(nil)
                }
            }
            schema = target
            self.sources = sources
        } else {
            schema = fileSchema
            sources = root.children
        }
    }

    /// The number of rows in the file.
    public var rowCount: Int { Int(footer.numberOfRows) }

    /// Releases the file.
    public func close() async {
        await file.close()
    }

    /// The indices of the stripes whose statistics do not rule out `filter` (all stripes when the file has no
    /// stripe statistics).
    public func stripes(matching filter: ORCFilter) -> [Int] {
        stripes.filter { stripe in
            filter.mightMatch { name in
                guard let index = schema.index(of: name), let node = sources[index], node.id < stripe.statistics.count else { return nil }
                return (stripe.statistics[node.id], schema.fields[index].type, stripe.rowCount)
            }
        }.map(\.index)
    }

    /// The stripe's footer: its streams and column encodings.
    public func stripeFooter(_ stripe: Int) async throws -> ORCStripeFooter {
        guard stripes.indices.contains(stripe) else {
            throw ORCError(file: name, location: "stripe \(stripe)", "the file has \(stripes.count) stripes")
        }
        let info = stripes[stripe].information
        let start = info.offset + info.indexLength + info.dataLength
        let bytes = try await read(at: start, count: Int(info.footerLength), location: "stripe \(stripe) footer")
        do throws(ORCError) {
            let plain = try decompressor.decompress(bytes[...], bytesMax: options.limits.stripeFooterBytesMax, context: "stripe \(stripe) footer")
            let footer = try ORCStripeFooter.decode(plain, context: "stripe \(stripe) footer")
            guard !footer.hasEncryption else {
                throw ORCError(file: "", location: "stripe \(stripe) footer", "column encryption is not supported")
            }
            return footer
        } catch {
            throw error.in(file: name)
        }
    }

    /// The row index of ORC column `column` in a stripe (entries with positions and statistics per row group).
    public func rowIndex(stripe: Int, column: Int) async throws -> ORCRowIndex {
        let footer = try await stripeFooter(stripe)
        let info = stripes[stripe].information
        var offset = info.offset
        let stripeEnd = info.offset + info.indexLength + info.dataLength
        for stream in footer.streams {
            let (end, overflow) = offset.addingReportingOverflow(stream.length)
            guard !overflow, end <= stripeEnd else {
                throw ORCError(file: name, location: "stripe \(stripe), \(stream.kind) stream of column \(stream.column)",
                               "stream of \(stream.length) bytes at offset \(offset) runs past the stripe's data end \(stripeEnd)")
            }
            if stream.kind == .rowIndex && Int(stream.column) == column {
                guard stream.length <= UInt64(options.limits.streamBytesMax) else {
                    throw ORCError(file: name, location: "stripe \(stripe) row index of column \(column)", "\(stream.length) bytes is over the limit of \(options.limits.streamBytesMax)")
                }
                let bytes = try await read(at: offset, count: Int(stream.length), location: "stripe \(stripe) row index")
                do {
                    let plain = try decompressor.decompress(bytes[...], bytesMax: options.limits.streamBytesMax, context: "stripe \(stripe) row index of column \(column)")
                    return try ORCRowIndex.decode(plain, context: "stripe \(stripe) row index of column \(column)")
                } catch {
                    throw error.in(file: name)
                }
            }
            offset = end
        }
        throw ORCError(file: name, location: "stripe \(stripe)", "no row index for column \(column)")
    }

    private func read(at offset: UInt64, count: Int, location: String) async throws -> [UInt8] {
        let bytes = try await file.read(at: Int64(offset), count: count)
        guard bytes.count == count else {
            throw ORCError(file: name, location: location, "read \(bytes.count) of \(count) bytes at offset \(offset)")
        }
        return bytes
    }

    /// Reads one stripe: the columns named in `projection` (top-level names of ``schema``, in that order), or
    /// every column when it is nil.
    public func read(stripe: Int, projection: [String]? = nil) async throws -> ColumnBatch {
        let fieldIndices = try resolve(projection)
        let footer = try await stripeFooter(stripe)
        let info = stripes[stripe].information
        let rows = Int(info.numberOfRows)
        let context = "stripe \(stripe)"
        guard footer.columns.count >= self.footer.types.count else {
            throw ORCError(file: name, location: context, "the stripe footer lists \(footer.columns.count) column encodings for \(self.footer.types.count) columns")
        }

        // Which columns' streams are needed: the selected fields' subtrees, and the root's PRESENT stream.
        var needed = Set<Int>([0])
        for index in fieldIndices { if let node = sources[index] { needed.formUnion(node.columnIds) } }

        // Stream offsets in the stripe, in footer order.
        struct Wanted { var key: Int; var offset: UInt64; var length: UInt64; var kind: ORCStreamKind; var column: Int }
        var wanted: [Wanted] = []
        var offset = info.offset
        let stripeEnd = info.offset + info.indexLength + info.dataLength
        for stream in footer.streams {
            let (end, overflow) = offset.addingReportingOverflow(stream.length)
            guard !overflow, end <= stripeEnd else {
                throw ORCError(file: name, location: "\(context), \(stream.kind) stream of column \(stream.column)",
                               "stream of \(stream.length) bytes at offset \(offset) runs past the stripe's data end \(stripeEnd)")
            }
            if !stream.kind.isIndex, needed.contains(Int(stream.column)) {
                guard stream.length <= UInt64(options.limits.streamBytesMax) else {
                    throw ORCError(file: name, location: "\(context), \(stream.kind) stream of column \(stream.column)", "\(stream.length) bytes is over the limit of \(options.limits.streamBytesMax)")
                }
                wanted.append(Wanted(key: StripeStreams.key(Int(stream.column), stream.kind), offset: offset, length: stream.length,
                                     kind: stream.kind, column: Int(stream.column)))
            }
            offset = end
        }

        // Fetch in coalesced ranges.
        var streams = StripeStreams(encodings: footer.columns, context: context)
        var i = 0
        let sorted = wanted.sorted { $0.offset < $1.offset }
        while i < sorted.count {
            var j = i
            var end = sorted[i].offset + sorted[i].length
            while j + 1 < sorted.count, sorted[j + 1].offset <= end + UInt64(Self.coalesceGapBytes),
                  sorted[j + 1].offset + sorted[j + 1].length - sorted[i].offset <= UInt64(options.limits.streamBytesMax) {
                j += 1
                end = max(end, sorted[j].offset + sorted[j].length)
            }
            let start = sorted[i].offset
            let bytes = try await read(at: start, count: Int(end - start), location: context)
            for k in i...j {
                let w = sorted[k]
                let from = Int(w.offset - start)
                let label = "\(context), column \(w.column) (\(w.column < columnNames.count ? columnNames[w.column] : "?")), \(w.kind)"
                guard streams.streams[w.key] == nil else {
                    throw ORCError(file: name, location: label, "the stripe lists this stream twice")
                }
                do {
                    let plain = try decompressor.decompress(bytes[from..<(from + Int(w.length))], bytesMax: options.limits.streamBytesMax, context: label)
                    streams.streams[w.key] = StreamBytes(plain, context: label)
                } catch {
                    throw error.in(file: name)
                }
            }
            i = j + 1
        }

        // Decode: the root struct's PRESENT stream (rarely there) nulls out whole rows.
        let decoder = ColumnDecoder(streams: streams, limits: options.limits)
        var rootValidity: Bitmap?
        var present = rows
        if let stream = streams.optional(0, .present) {
            var bits = BooleanRLEDecoder(stream)
            do {
                let (bitmap, set) = try ColumnDecoder.readBits(&bits, count: rows)
                if set < rows {
                    rootValidity = bitmap
                    present = set
                }
            } catch {
                throw error.in(file: name)
            }
        }
        var columns: [Column] = []
        var fields: [DataField] = []
        for index in fieldIndices {
            let field = schema.fields[index]
            fields.append(field)
            guard let node = sources[index] else {
                columns.append(ColumnExpansion.nulls(field.type, count: rows))
                continue
            }
            do throws(ORCError) {
                var column = try decoder.decode(node, as: field.type, count: present, path: field.name)
                if let rootValidity {
                    guard field.type.isNullable else {
                        throw ORCError(file: "", location: "\(context), column \(field.name)", "null rows in a NOT NULL column")
                    }
                    column = ColumnExpansion.expand(column, rootValidity)
                }
                columns.append(column)
            } catch {
                throw error.in(file: name)
            }
        }
        let batch = ColumnBatch(schema: RowType(fields), columns: columns)
        do {
            try batch.validate()
        } catch {
            throw ORCError(file: name, location: context, "decoded batch is invalid: \(error.description)")
        }
        return batch
    }

    /// Every stripe (or those `filter` does not rule out), each as one batch.
    public func readAll(projection: [String]? = nil, filter: ORCFilter? = nil) async throws -> [ColumnBatch] {
        let selected = filter.map { stripes(matching: $0) } ?? stripes.map(\.index)
        var batches: [ColumnBatch] = []
        for stripe in selected { batches.append(try await read(stripe: stripe, projection: projection)) }
        return batches
    }

    /// The schema a read with `projection` returns.
    public func schema(projection: [String]?) throws -> RowType {
        RowType(try resolve(projection).map { schema.fields[$0] })
    }

    private func resolve(_ projection: [String]?) throws(ORCError) -> [Int] {
        guard let projection else { return Array(schema.fields.indices) }
        var seen = Set<String>()
        var indices: [Int] = []
        for name in projection {
            guard let index = schema.index(of: name) else {
                throw ORCError(file: self.name, location: "projection", "no column named '\(name)' (columns: \(schema.fieldNames.joined(separator: ", ")))")
            }
            guard seen.insert(name).inserted else { throw ORCError(file: self.name, location: "projection", "column '\(name)' is named twice") }
            indices.append(index)
        }
        return indices
    }
}
