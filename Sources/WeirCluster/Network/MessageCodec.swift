import NIOCore
import WeirProtocol

/// Bytes → ``Message``s through WeirProtocol's `FrameDecoder` (magic, version, length limit, checksum) and
/// `MessageCoding`. A broken stream (also one that ends inside a frame) raises the `ProtocolError` through
/// `errorCaught`; the handshake handlers behind this one say goodbye and close. Memory: at most one frame of `frameBytesMax` bytes plus one read.
struct MessageDecoder: ByteToMessageDecoder {
    typealias InboundOut = Message

    var frames: FrameDecoder

    init(frameBytesMax: Int) {
        frames = FrameDecoder(frameBytesMax: frameBytesMax)
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if buffer.readableBytes > 0 {
            buffer.withUnsafeReadableBytes { frames.append($0) }
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        }
        while let frame = try frames.next() {
            context.fireChannelRead(Self.wrapInboundOut(try MessageCoding.decode(frame)))
        }
        return .needMoreData
    }

    /// At the end of the stream, a peer that hung up inside a frame raises a `ProtocolError` (so it is logged and
    /// refused like any other broken stream) instead of the partial frame being dropped silently.
    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        let state = try decode(context: context, buffer: &buffer)
        if seenEOF { try frames.finish() }
        return state
    }
}

/// ``Message``s → frames. A message over `frameBytesMax` fails its write (callers keep documents under
/// `MessageLimits.documentBytesMax`, below the default frame limit).
struct MessageEncoder: MessageToByteEncoder {
    typealias OutboundIn = Message

    let frames: FrameEncoder

    init(frameBytesMax: Int) {
        frames = FrameEncoder(frameBytesMax: frameBytesMax)
    }

    func encode(data: Message, out: inout ByteBuffer) throws {
        out.writeBytes(try frames.encode(MessageCoding.encode(data)))
    }
}

/// What a connection's async side reads: the handshake's outcome, then the peer's messages.
enum PeerEvent: Sendable {
    /// Server side: the peer proved the secret; its hello says who it is.
    case established(Hello)
    /// Client side: the coordinator proved the secret and welcomed us.
    case welcomed(Welcome)
    case message(Message)
    /// Client side: the connection is being closed because of `reason`; `wrongSecret` when the coordinator's
    /// proof did not match (the cluster secrets differ: retrying cannot help).
    case failed(reason: String, wrongSecret: Bool)
}

/// Reasons go into goodbyes, which have a length limit: cut long ones.
func goodbyeReason(_ reason: String) -> String {
    reason.count <= 1_000 ? reason : String(reason.prefix(1_000)) + "…"
}

/// The reason for a `ProtocolError`, with a hint when the bytes were a TLS record (one side uses TLS, the other not).
func explained(_ error: ProtocolError, tlsHint: String) -> String {
    guard error.kind == .badMagic, error.reason.contains("(got 0x1503") || error.reason.contains("(got 0x1603") else { return error.reason }
    return error.reason + " (" + tlsHint + ")"
}
