/// An encoder of the Thrift compact protocol, for the footer and page headers this module writes.
///
/// Usage: ``beginStruct()``, fields in increasing id order, ``endStruct()``. Field ids use the one-byte delta form when
/// the delta is 1...15, otherwise the long form; booleans travel in the field type; integers are zigzag varints.
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []
    private var lastIDs: [Int16] = []
    private var lastID: Int16 = 0

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginStruct() {
        lastIDs.append(lastID)
        lastID = 0
    }

    mutating func endStruct() {
        bytes.append(0)
        lastID = lastIDs.removeLast()
    }

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeZigZag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func fieldHeader(_ id: Int16, _ type: ThriftType) {
        let delta = Int(id) - Int(lastID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigZag(Int64(id))
        }
        lastID = id
    }

    mutating func writeBool(_ id: Int16, _ value: Bool) { fieldHeader(id, value ? .boolTrue : .boolFalse) }

    mutating func writeI32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        writeZigZag(Int64(value))
    }

    mutating func writeI64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        writeZigZag(value)
    }

    mutating func writeByteField(_ id: Int16, _ value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func writeBinary(_ id: Int16, _ value: some Collection<UInt8>) {
        fieldHeader(id, .binary)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(_ id: Int16, _ value: String) { writeBinary(id, Array(value.utf8)) }

    /// A list header (use inside a field opened with ``fieldHeader(_:_:)`` of type `.list`, or nested).
    mutating func listHeader(_ elementType: ThriftType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xf0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    /// A struct-valued field: writes the header, then `body` writes the fields, then the STOP.
    mutating func writeStructField(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .struct)
        beginStruct()
        body(&self)
        endStruct()
    }

    /// A list of structs.
    mutating func writeStructList<T>(_ id: Int16, _ items: [T], _ body: (inout ThriftCompactWriter, T) -> Void) {
        fieldHeader(id, .list)
        listHeader(.struct, count: items.count)
        for item in items {
            beginStruct()
            body(&self, item)
            endStruct()
        }
    }

    mutating func writeI32List(_ id: Int16, _ items: [Int32]) {
        fieldHeader(id, .list)
        listHeader(.i32, count: items.count)
        for item in items { writeZigZag(Int64(item)) }
    }

    mutating func writeStringList(_ id: Int16, _ items: [String]) {
        fieldHeader(id, .list)
        listHeader(.binary, count: items.count)
        for item in items {
            writeVarint(UInt64(item.utf8.count))
            bytes.append(contentsOf: item.utf8)
        }
    }
}

/// A Thrift struct that this module writes: `write(to:)` writes the fields only (the caller opens and closes it).
protocol ThriftEncodable {
    func write(to writer: inout ThriftCompactWriter)
}

extension ThriftEncodable {
    /// The struct as a stand-alone Thrift message (fields then STOP), as Parquet stores footers and page headers.
    func thriftBytes() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        write(to: &writer)
        writer.endStruct()
        return writer.bytes
    }
}
