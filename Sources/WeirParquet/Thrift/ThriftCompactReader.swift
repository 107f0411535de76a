/// The element types of the Thrift compact protocol (the low nibble of a field header or list header).
enum ThriftType: UInt8, Sendable {
    case stop = 0
    case boolTrue = 1
    case boolFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
    case uuid = 13
}

/// Bounds on what one Thrift decode may do; Parquet footers and page headers are input from outside.
public struct ThriftLimits: Sendable, Equatable {
    /// Deepest nesting of structs, lists and maps (each level is one step of recursion).
    public var depthMax: Int
    /// Longest binary or string field, in bytes.
    public var stringBytesMax: Int
    /// Most elements in one list, set or map.
    public var listElementsMax: Int
    /// Most bytes one decode may cover (the footer or one page header).
    public var totalBytesMax: Int

    public init(depthMax: Int = 64, stringBytesMax: Int = 16 << 20, listElementsMax: Int = 4 << 20,
                totalBytesMax: Int = 64 << 20) {
        self.depthMax = depthMax
        self.stringBytesMax = stringBytesMax
        self.listElementsMax = listElementsMax
        self.totalBytesMax = totalBytesMax
    }
}

/// A decoder of the Thrift compact protocol (the encoding of Parquet's footer and page headers) over bytes in memory.
///
/// Contract: every read checks the remaining length; varints are at most 10 bytes; i16/i32 values out of range,
/// strings longer than ``ThriftLimits/stringBytesMax`` or than the bytes left, lists longer than
/// ``ThriftLimits/listElementsMax`` or than the bytes left (every element takes at least one byte), and nesting deeper
/// than ``ThriftLimits/depthMax`` are errors. Unknown fields of any type are skipped (with the same limits). Errors are
/// ``ParquetError``s naming the byte offset (`origin` + position) and are completed with the file by the caller.
///
/// The reader does not own its memory: `buffer` must stay valid while it is used.
struct ThriftCompactReader {
    let buffer: UnsafeRawBufferPointer
    /// Added to positions in error messages (the offset of `buffer` in the file).
    let origin: Int
    let limits: ThriftLimits
    private(set) var position = 0
    private var depth = 0

    init(_ buffer: UnsafeRawBufferPointer, origin: Int = 0, limits: ThriftLimits = ThriftLimits()) throws(ParquetError) {
        guard buffer.count <= limits.totalBytesMax else {
            throw .corrupt("thrift: \(buffer.count) bytes to decode, more than the limit of \(limits.totalBytesMax)")
        }
        self.buffer = buffer
        self.origin = origin
        self.limits = limits
    }

    var remaining: Int { buffer.count - position }

    func error(_ message: String) -> ParquetError {
        .corrupt("thrift: \(message) (at byte \(origin + position))")
    }

    // MARK: scalars

    mutating func readByte() throws(ParquetError) -> UInt8 {
        guard position < buffer.count else { throw error("unexpected end of data") }
        let byte = buffer[position]
        position += 1
        return byte
    }

    mutating func readVarint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63 && byte > 1 { throw error("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw error("varint longer than 10 bytes") }
        }
    }

    mutating func readI64() throws(ParquetError) -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    mutating func readI32() throws(ParquetError) -> Int32 {
        let v = try readI64()
        guard let n = Int32(exactly: v) else { throw error("i32 value \(v) out of range") }
        return n
    }

    mutating func readI16() throws(ParquetError) -> Int16 {
        let v = try readI64()
        guard let n = Int16(exactly: v) else { throw error("i16 value \(v) out of range") }
        return n
    }

    mutating func readDouble() throws(ParquetError) -> Double {
        guard remaining >= 8 else { throw error("unexpected end of data in a double") }
        let bits = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        position += 8
        return Double(bitPattern: bits)
    }

    /// A binary field as a view into the buffer (no copy).
    mutating func readBinarySlice() throws(ParquetError) -> UnsafeRawBufferPointer {
        let length = try readVarint()
        guard length <= UInt64(limits.stringBytesMax) else {
            throw error("binary of \(length) bytes, more than the limit of \(limits.stringBytesMax)")
        }
        guard length <= UInt64(remaining) else { throw error("binary of \(length) bytes but only \(remaining) remain") }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[position ..< position + Int(length)])
        position += Int(length)
        return slice
    }

    mutating func readBinary() throws(ParquetError) -> [UInt8] { Array(try readBinarySlice()) }

    mutating func readString() throws(ParquetError) -> String {
        String(decoding: try readBinarySlice(), as: UTF8.self)
    }

    /// A boolean list element (1 = true; 0 or 2 = false).
    mutating func readBoolElement() throws(ParquetError) -> Bool {
        switch try readByte() {
        case 1: return true
        case 0, 2: return false
        case let other: throw error("bad boolean element \(other)")
        }
    }

    // MARK: structure

    /// Enters a struct (counts towards the depth limit); pair with ``exitStruct()``.
    mutating func enterStruct() throws(ParquetError) {
        depth += 1
        guard depth <= limits.depthMax else { throw error("nesting deeper than \(limits.depthMax)") }
    }

    mutating func exitStruct() { depth -= 1 }

    /// The next field header of the current struct, or nil at its STOP byte. `lastID` is the previous field id of
    /// this struct (0 at its start) and is updated.
    mutating func readFieldHeader(_ lastID: inout Int16) throws(ParquetError) -> (type: ThriftType, id: Int16)? {
        let byte = try readByte()
        if byte == 0 { return nil }
        guard let type = ThriftType(rawValue: byte & 0x0f), type != .stop else {
            throw error("unknown field type \(byte & 0x0f)")
        }
        let delta = Int16(byte >> 4)
        let id: Int16
        if delta != 0 {
            let (sum, overflow) = lastID.addingReportingOverflow(delta)
            guard !overflow else { throw error("field id overflows") }
            id = sum
        } else {
            id = try readI16()
        }
        lastID = id
        return (type, id)
    }

    /// A list or set header: element type and count. The count is checked against the limit and the bytes left.
    mutating func readListHeader() throws(ParquetError) -> (elementType: ThriftType, count: Int) {
        let byte = try readByte()
        guard let type = ThriftType(rawValue: byte & 0x0f), type != .stop else {
            throw error("unknown list element type \(byte & 0x0f)")
        }
        var count = UInt64(byte >> 4)
        if count == 15 { count = try readVarint() }
        try checkElementCount(count)
        return (type, Int(count))
    }

    private func checkElementCount(_ count: UInt64) throws(ParquetError) {
        guard count <= UInt64(limits.listElementsMax) else {
            throw error("list of \(count) elements, more than the limit of \(limits.listElementsMax)")
        }
        guard count <= UInt64(remaining) else {
            throw error("list of \(count) elements but only \(remaining) bytes remain")
        }
    }

    /// Throws unless a field of type `actual` may hold a value of type `expected` (booleans match both boolean codes).
    func expect(_ actual: ThriftType, _ expected: ThriftType, field: String) throws(ParquetError) {
        let matches = actual == expected
            || (expected == .boolTrue && (actual == .boolTrue || actual == .boolFalse))
            || (expected == .list && actual == .set)
        guard matches else { throw error("field \(field) has type \(actual) instead of \(expected)") }
    }

    /// Skips one value of `type` (a whole struct, list or map with everything inside), within the limits.
    mutating func skip(_ type: ThriftType) throws(ParquetError) {
        switch type {
        case .stop: throw error("cannot skip a STOP")
        case .boolTrue, .boolFalse: return
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double:
            guard remaining >= 8 else { throw error("unexpected end of data in a double") }
            position += 8
        case .binary: _ = try readBinarySlice()
        case .uuid:
            guard remaining >= 16 else { throw error("unexpected end of data in a uuid") }
            position += 16
        case .list, .set:
            let (elementType, count) = try readListHeader()
            try enterStruct()
            for _ in 0..<count {
                if elementType == .boolTrue || elementType == .boolFalse { _ = try readBoolElement() } else { try skip(elementType) }
            }
            exitStruct()
        case .map:
            let count = try readVarint()
            try checkElementCount(count)
            guard count > 0 else { return }
            let types = try readByte()
            guard let keyType = ThriftType(rawValue: types >> 4), let valueType = ThriftType(rawValue: types & 0x0f),
                  keyType != .stop, valueType != .stop else { throw error("bad map element types \(types)") }
            try enterStruct()
            for _ in 0..<count {
                if keyType == .boolTrue || keyType == .boolFalse { _ = try readBoolElement() } else { try skip(keyType) }
                if valueType == .boolTrue || valueType == .boolFalse { _ = try readBoolElement() } else { try skip(valueType) }
            }
            exitStruct()
        case .struct:
            try enterStruct()
            var last: Int16 = 0
            while let (fieldType, _) = try readFieldHeader(&last) {
                try skip(fieldType)
            }
            exitStruct()
        }
    }

    /// Reads a list of structs (or other values) with `element`, checking the element type.
    mutating func readList<T>(field: String, of expectedType: ThriftType,
                              _ element: (inout ThriftCompactReader) throws(ParquetError) -> T) throws(ParquetError) -> [T] {
        let (elementType, count) = try readListHeader()
        if count > 0 { try expect(elementType, expectedType, field: field + " element") }
        var out: [T] = []
        out.reserveCapacity(min(count, 4096))
        try enterStruct()
        for _ in 0..<count { out.append(try element(&self)) }
        exitStruct()
        return out
    }
}

/// A Thrift struct that Parquet defines and this module reads.
protocol ThriftDecodable {
    init(thrift reader: inout ThriftCompactReader) throws(ParquetError)
}

extension ThriftCompactReader {
    mutating func readStruct<T: ThriftDecodable>(_: T.Type = T.self) throws(ParquetError) -> T {
        try T(thrift: &self)
    }
}
