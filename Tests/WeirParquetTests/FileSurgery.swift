import WeirColumnar
@testable import WeirParquet

/// Taking valid files apart and putting them back together with changes: the footer's metadata, a page header (with
/// every offset behind it moved), or a file built by hand from schema elements and leaf levels.
enum FileSurgery {
    /// The parsed footer of a valid file.
    static func footer(_ bytes: [UInt8]) throws -> ParquetFooter {
        try ParquetFile.footer(bytes: bytes, name: "test", options: ParquetReadOptions())
    }

    /// The metadata of `bytes` decoded (no checks).
    static func metadata(_ bytes: [UInt8]) throws -> FileMetaData {
        let n = bytes.count
        let length = Int(UInt32(bytes[n - 8]) | UInt32(bytes[n - 7]) << 8 | UInt32(bytes[n - 6]) << 16 | UInt32(bytes[n - 5]) << 24)
        return try Array(bytes[(n - 8 - length) ..< (n - 8)]).withUnsafeBytes { raw in
            var reader = try ThriftCompactReader(raw)
            return try FileMetaData(thrift: &reader)
        }
    }

    /// `bytes` with its footer replaced by `metadata`.
    static func replacingMetadata(_ bytes: [UInt8], _ metadata: FileMetaData) -> [UInt8] {
        let n = bytes.count
        let length = Int(UInt32(bytes[n - 8]) | UInt32(bytes[n - 7]) << 8 | UInt32(bytes[n - 6]) << 16 | UInt32(bytes[n - 5]) << 24)
        let footer = metadata.thriftBytes()
        return Array(bytes[..<(n - 8 - length)]) + footer + withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) } + parquetMagic
    }

    /// `bytes` with the footer changed by `change`.
    static func editingMetadata(_ bytes: [UInt8], _ change: (inout FileMetaData) -> Void) throws -> [UInt8] {
        var metadata = try metadata(bytes)
        change(&metadata)
        return replacingMetadata(bytes, metadata)
    }

    /// The page headers of a chunk with their file offsets.
    static func pages(_ bytes: [UInt8], rowGroup: Int, column: Int) throws -> [(offset: Int, header: PageHeader, headerBytes: Int)] {
        let meta = try metadata(bytes).rowGroups[rowGroup].columns[column].metaData!
        var position = Int(meta.dictionaryPageOffset.map { min($0, meta.dataPageOffset) } ?? meta.dataPageOffset)
        let end = position + Int(meta.totalCompressedSize)
        var out: [(Int, PageHeader, Int)] = []
        while position < end {
            let (header, used) = try Array(bytes[position..<end]).withUnsafeBytes { raw in
                var reader = try ThriftCompactReader(raw)
                let header = try PageHeader(thrift: &reader)
                return (header, reader.position)
            }
            out.append((position, header, used))
            position += used + Int(header.compressedPageSize)
        }
        return out
    }

    /// `bytes` with page `page` of a chunk given a new header; the chunk's size and every offset behind it follow.
    static func editingPageHeader(_ bytes: [UInt8], rowGroup: Int = 0, column: Int, page: Int = 0,
                                  _ change: (inout PageHeader) -> Void) throws -> [UInt8] {
        let (offset, header, length) = try pages(bytes, rowGroup: rowGroup, column: column)[page]
        var edited = header
        change(&edited)
        let encoded = edited.thriftBytes()
        let delta = Int64(encoded.count - length)
        var metadata = try metadata(bytes)
        let n = bytes.count
        let footerLength = Int(UInt32(bytes[n - 8]) | UInt32(bytes[n - 7]) << 8 | UInt32(bytes[n - 6]) << 16 | UInt32(bytes[n - 5]) << 24)
        let body = Array(bytes[..<offset]) + encoded + Array(bytes[(offset + length) ..< (n - 8 - footerLength)])
        for g in metadata.rowGroups.indices {
            if let start = metadata.rowGroups[g].fileOffset, start > Int64(offset) { metadata.rowGroups[g].fileOffset = start + delta }
            for c in metadata.rowGroups[g].columns.indices {
                var chunk = metadata.rowGroups[g].columns[c]
                guard var meta = chunk.metaData else { continue }
                if g == rowGroup && c == column { meta.totalCompressedSize += delta }
                if meta.dataPageOffset > Int64(offset) { meta.dataPageOffset += delta }
                if let d = meta.dictionaryPageOffset, d > Int64(offset) { meta.dictionaryPageOffset = d + delta }
                if chunk.fileOffset > Int64(offset) { chunk.fileOffset += delta }
                chunk.metaData = meta
                metadata.rowGroups[g].columns[c] = chunk
            }
        }
        let footer = metadata.thriftBytes()
        return body + footer + withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) } + parquetMagic
    }

    /// A file built from schema elements and, per leaf, a column description (as the writer should store it) and its
    /// levels and values, in one row group of `rows` rows.
    static func build(elements: [SchemaElement], leaves: [(LeafColumn, LeafBatch)], rows: Int,
                      options: ParquetWriteOptions = ParquetWriteOptions(compression: .uncompressed)) throws -> [UInt8] {
        var bytes = parquetMagic
        var columns: [ColumnChunk] = []
        for (leaf, batch) in leaves {
            var writer = ColumnChunkWriter(leaf: leaf, options: options)
            try writer.append(batch)
            let chunk = try writer.finish()
            let start = Int64(bytes.count)
            for piece in chunk.pieces { bytes += piece }
            let meta = ColumnMetaData(type: leaf.physical.rawValue, encodings: chunk.encodings, pathInSchema: leaf.path,
                                      codec: options.compression.kind.rawValue, numValues: chunk.numValues,
                                      totalUncompressedSize: chunk.totalUncompressedSize, totalCompressedSize: Int64(chunk.byteCount),
                                      keyValueMetadata: nil, dataPageOffset: start + Int64(chunk.dictionaryPageBytes ?? 0),
                                      indexPageOffset: nil, dictionaryPageOffset: chunk.dictionaryPageBytes == nil ? nil : start,
                                      statistics: chunk.statistics)
            columns.append(ColumnChunk(filePath: nil, fileOffset: start, metaData: meta))
        }
        let metadata = FileMetaData(version: 1, schema: elements, numRows: Int64(rows),
                                    rowGroups: [RowGroup(columns: columns, totalByteSize: 0, numRows: Int64(rows), fileOffset: 4,
                                                         totalCompressedSize: nil, ordinal: nil)],
                                    keyValueMetadata: nil, createdBy: "hand-built", columnOrders: nil)
        let footer = metadata.thriftBytes()
        return bytes + footer + withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) } + parquetMagic
    }

    /// A leaf column for ``build(elements:leaves:rows:options:)``.
    static func leaf(_ path: [String], _ physical: PhysicalType, _ conversion: LeafConversion, maxDef: Int, maxRep: Int,
                     type: DataType, typeLength: Int = 0) -> LeafColumn {
        LeafColumn(path: path, physical: physical, typeLength: typeLength, maxDef: maxDef, maxRep: maxRep, type: type,
                   conversion: conversion, element: SchemaElement(name: path.last!))
    }

    static func batch(def: [UInt8], rep: [UInt8] = [], _ values: ColumnValues) -> LeafBatch {
        LeafBatch(defLevels: def, repLevels: rep, values: values, valueRange: 0 ..< values.count,
                  entryCount: def.isEmpty ? values.count : def.count)
    }
}
