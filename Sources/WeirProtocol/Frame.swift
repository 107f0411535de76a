import WeirCodecs

/// One unit on the wire: a header and a payload (one encoded ``Message``).
///
/// ```
/// offset 0   magic      u32 BE  0x57454952 ("WEIR")
///        4   version    u16 BE  ``FrameHeader/currentVersion``
///        6   type       u16 BE  ``MessageType`` raw value
///        8   length     u32 BE  payload bytes, at most the decoder's `frameBytesMax`
///       12   checksum   u32 BE  CRC-32C over bytes 4..<12 and the payload
///       16   payload
/// ```
/// The checksum covers the version, type and length as well as the payload, so a flipped bit anywhere after the
/// magic is caught. Frames are self-delimiting; there is no padding.
public struct Frame: Sendable, Equatable {
    public var type: UInt16
    public var payload: [UInt8]

    public init(type: UInt16, payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }
}

public enum FrameHeader {
    public static let magic: UInt32 = 0x5745_4952
    public static let currentVersion: UInt16 = 1
    public static let byteCount = 16
    /// The default limit on a payload: 16 MiB (row-data chunks are cut below it).
    public static let frameBytesMaxDefault = 16 << 20

    static func checksum(version: UInt16, type: UInt16, length: UInt32, payload: some Collection<UInt8>) -> UInt32 {
        var head = ByteWriter(capacity: 8)
        head.putU16BE(version)
        head.putU16BE(type)
        head.putU32BE(length)
        return CRC32C.update(CRC32C.checksum(head.bytes), payload)
    }
}

/// Encodes frames. Refuses payloads over `frameBytesMax` (a programming error on this side: callers cut bulk
/// data into chunks).
public struct FrameEncoder: Sendable {
    public let frameBytesMax: Int

    public init(frameBytesMax: Int = FrameHeader.frameBytesMaxDefault) {
        self.frameBytesMax = frameBytesMax
    }

    public func encode(_ frame: Frame) throws(ProtocolError) -> [UInt8] {
        guard frame.payload.count <= frameBytesMax else {
            throw ProtocolError(.tooLarge, "a frame of \(frame.payload.count) bytes is over the limit of \(frameBytesMax)")
        }
        var out = ByteWriter(capacity: FrameHeader.byteCount + frame.payload.count)
        let length = UInt32(frame.payload.count)
        out.putU32BE(FrameHeader.magic)
        out.putU16BE(FrameHeader.currentVersion)
        out.putU16BE(frame.type)
        out.putU32BE(length)
        out.putU32BE(FrameHeader.checksum(version: FrameHeader.currentVersion, type: frame.type, length: length, payload: frame.payload))
        out.putBytes(frame.payload)
        return out.bytes
    }
}

/// Cuts a byte stream into frames, incrementally: ``append(_:)`` whatever arrived, then call ``next()`` until it
/// returns nil. The header is checked as soon as its 16 bytes are in — magic, version, and the declared length
/// against `frameBytesMax` — so an oversized or foreign stream is refused before its payload is buffered; the
/// checksum is checked when the payload is complete. After an error the decoder stays failed.
///
/// Memory: at most one header plus one payload of `frameBytesMax` bytes, plus what the caller appended beyond it.
public struct FrameDecoder: Sendable {
    public let frameBytesMax: Int
    var buffer: [UInt8] = []
    var start = 0
    var failure: ProtocolError?

    public init(frameBytesMax: Int = FrameHeader.frameBytesMaxDefault) {
        self.frameBytesMax = frameBytesMax
    }

    /// Bytes received and not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, nil when more bytes are needed.
    public mutating func next() throws(ProtocolError) -> Frame? {
        if let failure { throw failure }
        do {
            return try decodeNext()
        } catch {
            failure = error
            throw error
        }
    }

    mutating func decodeNext() throws(ProtocolError) -> Frame? {
        let available = buffer.count - start
        // Check the magic as soon as 4 bytes are in, so a foreign protocol is refused at once.
        if available >= 4 {
            let magic = readU32(at: start)
            guard magic == FrameHeader.magic else {
                throw ProtocolError(.badMagic, "stream does not start with the Weir magic number (got 0x\(String(magic, radix: 16)))")
            }
        }
        guard available >= FrameHeader.byteCount else { return nil }
        let version = UInt16(buffer[start + 4]) << 8 | UInt16(buffer[start + 5])
        guard version == FrameHeader.currentVersion else {
            throw ProtocolError(.unsupportedVersion, "frame version \(version); this side speaks version \(FrameHeader.currentVersion)")
        }
        let type = UInt16(buffer[start + 6]) << 8 | UInt16(buffer[start + 7])
        let length = readU32(at: start + 8)
        guard Int(length) <= frameBytesMax else {
            throw ProtocolError(.tooLarge, "a frame declares \(length) payload bytes, over the limit of \(frameBytesMax)")
        }
        let total = FrameHeader.byteCount + Int(length)
        guard available >= total else { return nil }
        let payload = Array(buffer[(start + FrameHeader.byteCount)..<(start + total)])
        let expected = readU32(at: start + 12)
        let actual = FrameHeader.checksum(version: version, type: type, length: length, payload: payload)
        guard expected == actual else {
            throw ProtocolError(.checksumMismatch, "frame of type \(type) and \(length) bytes: checksum 0x\(String(actual, radix: 16)), header says 0x\(String(expected, radix: 16))")
        }
        start += total
        return Frame(type: type, payload: payload)
    }

    /// Call when the stream has ended (the peer hung up): throws `malformed` when the bytes of an unfinished frame
    /// are buffered, naming how much of it arrived; returns when the stream ended between frames. Call ``next()``
    /// until it returns nil first.
    public func finish() throws(ProtocolError) {
        let available = buffer.count - start
        guard failure == nil, available > 0 else { return }
        guard available >= FrameHeader.byteCount else {
            throw ProtocolError(.malformed, "the stream ended inside a frame header (\(available) of \(FrameHeader.byteCount) bytes)")
        }
        let type = UInt16(buffer[start + 6]) << 8 | UInt16(buffer[start + 7])
        throw ProtocolError(.malformed, "the stream ended inside a frame of type \(type): \(available - FrameHeader.byteCount) of \(readU32(at: start + 8)) payload bytes")
    }

    func readU32(at offset: Int) -> UInt32 {
        UInt32(buffer[offset]) << 24 | UInt32(buffer[offset + 1]) << 16 | UInt32(buffer[offset + 2]) << 8 | UInt32(buffer[offset + 3])
    }
}
