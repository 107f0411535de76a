import WeirCodecs
import WeirColumnar

/// Encodes the rows of ``ColumnBatch``es in the Avro schema Paimon's mapping gives their row type
/// (``AvroSchema/init(paimonRowType:)``), straight from the column buffers: one ``AvroColumnWriter`` per column
/// (and nested child), built once per batch, each writing the value of a row with no ``AvroValue`` or existential
/// box in between.
///
/// Values are written as the mapping's table says; in particular DECIMAL as the shortest two's-complement
/// big-endian bytes of the unscaled value (as Java's `BigInteger.toByteArray`), TIMESTAMP in the unit of its
/// precision (which is the unit of the logical type chosen), MAP with non-string keys and MULTISET as arrays of
/// key/value records or maps (MULTISET: each distinct element once, with its count, in order of first appearance).
enum AvroBatchEncoder {
    /// The writers of a batch's columns (the batch must have been validated).
    static func writers(for batch: ColumnBatch) -> [AvroColumnWriter] {
        batch.columns.map { writer(for: $0) }
    }

    static func writer(for column: Column) -> AvroColumnWriter {
        let inner = valueWriter(for: column)
        return column.type.isNullable ? AvroNullableColumnWriter(validity: column.validity, inner: inner) : inner
    }

    static func valueWriter(for column: Column) -> AvroColumnWriter {
        switch column.values {
        case .boolean(let bits): return AvroBooleanColumnWriter(bits)
        case .int8(let v): return AvroInt8ColumnWriter(v)
        case .int16(let v): return AvroInt16ColumnWriter(v)
        case .int32(let v): return AvroInt32ColumnWriter(v)
        case .int64(let v):
            if case .decimal = column.type.kind { return AvroDecimal64ColumnWriter(v) }
            return AvroInt64ColumnWriter(v)
        case .int128(let v): return AvroDecimal128ColumnWriter(v)
        case .float32(let v): return AvroFloat32ColumnWriter(v)
        case .float64(let v): return AvroFloat64ColumnWriter(v)
        case .bytes(let strings): return AvroBytesColumnWriter(strings)
        case .list(let offsets, let elements):
            if case .multiset = column.type.kind { return AvroMultisetColumnWriter(offsets: offsets, elements: elements) }
            return AvroListColumnWriter(offsets: offsets, elements: writer(for: elements))
        case .map(let offsets, let keys, let values):
            // String keys: an Avro map (the key is never null there); other keys: an array of key/value records.
            return AvroMapColumnWriter(offsets: offsets, keys: keys.type.isCharacterString ? valueWriter(for: keys) : writer(for: keys),
                                       values: writer(for: values))
        case .row(let children):
            return AvroRowColumnWriter(children.map { writer(for: $0) })
        }
    }
}

/// Writes the value of one row of a column in Avro's binary encoding.
class AvroColumnWriter {
    func write(_ row: Int, _ out: inout ByteWriter) { preconditionFailure("AvroColumnWriter.write is abstract") }
}

/// `["null", T]`: branch 0 for null, branch 1 and the value otherwise.
final class AvroNullableColumnWriter: AvroColumnWriter {
    let validity: Bitmap?
    let inner: AvroColumnWriter
    init(validity: Bitmap?, inner: AvroColumnWriter) {
        self.validity = validity
        self.inner = inner
    }
    override func write(_ row: Int, _ out: inout ByteWriter) {
        if let validity, !validity[row] {
            out.putU8(0)
        } else {
            out.putU8(2)
            inner.write(row, &out)
        }
    }
}

final class AvroBooleanColumnWriter: AvroColumnWriter {
    let bits: Bitmap
    init(_ bits: Bitmap) { self.bits = bits }
    override func write(_ row: Int, _ out: inout ByteWriter) { out.putU8(bits[row] ? 1 : 0) }
}

final class AvroInt8ColumnWriter: AvroColumnWriter {
    let values: [Int8]
    init(_ values: [Int8]) { self.values = values }
    override func write(_ row: Int, _ out: inout ByteWriter) { out.putZigZagVarint(Int32(values[row])) }
}

final class AvroInt16ColumnWriter: AvroColumnWriter {
    let values: [Int16]
    init(_ values: [Int16]) { self.values = values }
    override func write(_ row: Int, _ out: inout ByteWriter) { out.putZigZagVarint(Int32(values[row])) }
}

final class AvroInt32ColumnWriter: AvroColumnWriter {
    let values: [Int32]
    init(_ values: [Int32]) { self.values = values }
    override func write(_ row: Int, _ out: inout ByteWriter) { out.putZigZagVarint(values[row]) }
}

final class AvroInt64ColumnWriter: AvroColumnWriter {
    let values: [Int64]
    init(_ values: [Int64]) { self.values = values }
    override func write(_ row: Int, _ out: inout ByteWriter) { out.putZigZagVarint(values[row]) }
}

final class AvroFloat32ColumnWriter: AvroColumnWriter {
    let values: [Float]
    init(_ values: [Float]) { self.values = values }
    override func write(_ row: Int, _ out: inout ByteWriter) { out.putFloatLE(values[row]) }
}

final class AvroFloat64ColumnWriter: AvroColumnWriter {
    let values: [Double]
    init(_ values: [Double]) { self.values = values }
    override func write(_ row: Int, _ out: inout ByteWriter) { out.putDoubleLE(values[row]) }
}

/// The shortest two's-complement big-endian form of `value` (at least one byte), as Java's `BigInteger.toByteArray`.
@inline(__always)
func putDecimalBytes(_ value: Int128, _ out: inout ByteWriter) {
    var bytes: (UInt64, UInt64) = (UInt64(truncatingIfNeeded: value >> 64).bigEndian, UInt64(truncatingIfNeeded: value).bigEndian)
    withUnsafeBytes(of: &bytes) { raw in
        var start = 0
        while start < 15 {
            let b = raw[start], next = raw[start + 1]
            if (b == 0 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) { start += 1 } else { break }
        }
        out.putAvroBytes(UnsafeRawBufferPointer(rebasing: raw[start...]))
    }
}

final class AvroDecimal64ColumnWriter: AvroColumnWriter {
    let values: [Int64]
    init(_ values: [Int64]) { self.values = values }
    override func write(_ row: Int, _ out: inout ByteWriter) { putDecimalBytes(Int128(values[row]), &out) }
}

final class AvroDecimal128ColumnWriter: AvroColumnWriter {
    let values: [Int128]
    init(_ values: [Int128]) { self.values = values }
    override func write(_ row: Int, _ out: inout ByteWriter) { putDecimalBytes(values[row], &out) }
}

final class AvroBytesColumnWriter: AvroColumnWriter {
    let strings: ByteStrings
    init(_ strings: ByteStrings) { self.strings = strings }
    override func write(_ row: Int, _ out: inout ByteWriter) {
        let start = Int(strings.offsets[row]), end = Int(strings.offsets[row + 1])
        out.putZigZagVarint(Int64(end - start))
        strings.data.withUnsafeBufferPointer { out.putBytes(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
}

/// Arrays: one block with the element count (none when empty), the elements, then 0.
final class AvroListColumnWriter: AvroColumnWriter {
    let offsets: [Int32]
    let elements: AvroColumnWriter
    init(offsets: [Int32], elements: AvroColumnWriter) {
        self.offsets = offsets
        self.elements = elements
    }
    override func write(_ row: Int, _ out: inout ByteWriter) {
        let start = Int(offsets[row]), end = Int(offsets[row + 1])
        if end > start {
            out.putZigZagVarint(Int64(end - start))
            for i in start..<end { elements.write(i, &out) }
        }
        out.putU8(0)
    }
}

/// Maps (string keys: key then value per entry) and arrays of key/value records (key then value per record):
/// both are a block of entries, each the key then the value.
final class AvroMapColumnWriter: AvroColumnWriter {
    let offsets: [Int32]
    let keys: AvroColumnWriter
    let values: AvroColumnWriter
    init(offsets: [Int32], keys: AvroColumnWriter, values: AvroColumnWriter) {
        self.offsets = offsets
        self.keys = keys
        self.values = values
    }
    override func write(_ row: Int, _ out: inout ByteWriter) {
        let start = Int(offsets[row]), end = Int(offsets[row + 1])
        if end > start {
            out.putZigZagVarint(Int64(end - start))
            for i in start..<end {
                keys.write(i, &out)
                values.write(i, &out)
            }
        }
        out.putU8(0)
    }
}

/// MULTISET as Java writes it: each distinct element once with its count (a nullable INT), as a map (string
/// elements) or an array of key/value records. Elements are grouped by value (slow path: multisets are rare).
final class AvroMultisetColumnWriter: AvroColumnWriter {
    let offsets: [Int32]
    let elements: Column
    let keys: AvroColumnWriter
    init(offsets: [Int32], elements: Column) {
        self.offsets = offsets
        self.elements = elements
        self.keys = elements.type.isCharacterString ? AvroBatchEncoder.valueWriter(for: elements) : AvroBatchEncoder.writer(for: elements)
    }
    override func write(_ row: Int, _ out: inout ByteWriter) {
        let start = Int(offsets[row]), end = Int(offsets[row + 1])
        var firstIndex: [Value: Int] = [:]
        var order: [(index: Int, count: Int32)] = []
        for i in start..<end {
            let value = elements.value(at: i)
            if let slot = firstIndex[value] {
                order[slot].count += 1
            } else {
                firstIndex[value] = order.count
                order.append((i, 1))
            }
        }
        if !order.isEmpty {
            out.putZigZagVarint(Int64(order.count))
            for (index, count) in order {
                keys.write(index, &out)
                out.putU8(2)  // ["null", "int"]: branch 1
                out.putZigZagVarint(count)
            }
        }
        out.putU8(0)
    }
}

final class AvroRowColumnWriter: AvroColumnWriter {
    let children: [AvroColumnWriter]
    init(_ children: [AvroColumnWriter]) { self.children = children }
    override func write(_ row: Int, _ out: inout ByteWriter) {
        for child in children { child.write(row, &out) }
    }
}
