// libFuzzer entry for WeirProtocol: the input bytes are a stream from a peer. They are fed to a FrameDecoder in
// two pieces (split at the first byte's value, so the fuzzer also explores chunk boundaries) with a 64 KiB frame
// limit; every frame that comes out is decoded as a message. Anything but frames, messages or a ProtocolError is a
// bug (the harness traps). Oracle on what decodes: a message re-encodes to a frame that decodes to the same
// message, and re-encoding that frame gives the same bytes.
// Built by `Fuzz/run protocol SECONDS` with -sanitize=fuzzer,address -parse-as-library (no @main here); SwiftPM
// links executables with `--defsym main=ProtocolFuzz_main`, which hands over to libFuzzer's driver.
import WeirProtocol

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("ProtocolFuzz_main")
public func protocolFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, protocolFuzzOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func protocolFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    var decoder = FrameDecoder(frameBytesMax: 64 << 10)
    let split = bytes.isEmpty ? 0 : min(bytes.count, Int(bytes[0]))
    for piece in [bytes[..<split], bytes[split...]] {
        decoder.append(piece)
        while true {
            let frame: Frame?
            do { frame = try decoder.next() } catch { return 0 }
            guard let frame else { break }
            guard let message = try? MessageCoding.decode(frame) else { continue }
            let again = MessageCoding.encode(message)
            guard let decoded = try? MessageCoding.decode(again), decoded == message,
                  MessageCoding.encode(decoded) == again else {
                fatalError("a decoded \(message.type) message does not survive re-encoding")
            }
        }
    }
    return 0
}
