import Testing
import WeirCodecs

@Suite struct CompressionCodecTests {
    static let all: [CompressionCodec] = [.uncompressed, .snappy, .gzip, .zstd(), .zstd(level: 19), .lz4Raw, .lz4Frame,
                                          .deflate, .zlib]

    @Test(arguments: all)
    func roundTripsThroughTheOneEntryPoint(_ codec: CompressionCodec) throws {
        for (name, bytes) in [("empty", [UInt8]()), ("text", Samples.text(100_000, seed: 21)), ("random", Samples.random(20_000, seed: 22))] {
            let compressed = try codec.compress(bytes)
            #expect(try codec.decompress(compressed, uncompressedBytesMax: bytes.count) == bytes, "\(codec) \(name)")
            #expect(try codec.decompress(compressed, uncompressedBytes: bytes.count) == bytes, "\(codec) \(name)")
            if !bytes.isEmpty {
                let e = expectCodecError(.tooLarge) { () throws(CodecError) in
                    try codec.decompress(compressed, uncompressedBytesMax: bytes.count - 1)
                }
                #expect(e?.codec == codec.description || codec == .uncompressed)
                _ = expectCodecError(.corrupt) { () throws(CodecError) in
                    try codec.decompress(compressed, uncompressedBytes: bytes.count + 1)
                }
                _ = expectCodecError(.corrupt) { () throws(CodecError) in
                    try codec.decompress(compressed, uncompressedBytes: bytes.count - 1)
                }
            }
        }
    }

    /// Each case dispatches to its own format: the reference vectors of the other suites decode through it.
    @Test func dispatchesToTheRightFormat() throws {
        let fox = ZstdTests.fox
        #expect(try CompressionCodec.snappy.decompress(SnappyTests.libsnappyFox, uncompressedBytesMax: 900) == fox)
        #expect(try CompressionCodec.gzip.decompress(DeflateTests.twoGzipMembers, uncompressedBytesMax: 1000).prefix(900) == fox[...])
        #expect(try CompressionCodec.zstd().decompress(ZstdTests.cliFromStdin, uncompressedBytesMax: 900) == fox)
        #expect(try CompressionCodec.lz4Raw.decompress(LZ4Tests.rawBlock, uncompressedBytes: 900) == fox)
        #expect(try CompressionCodec.lz4Frame.decompress(LZ4Tests.cliFrame, uncompressedBytesMax: 900) == fox)
        #expect(try CompressionCodec.deflate.decompress(DeflateTests.pythonRaw, uncompressedBytesMax: 900) == fox)
        #expect(try CompressionCodec.zlib.decompress(DeflateTests.pythonZlib, uncompressedBytes: 900) == fox)
        #expect(try CompressionCodec.uncompressed.decompress(fox, uncompressedBytes: 900) == fox)
        #expect(CompressionCodec.zstd(level: 7) != CompressionCodec.zstd())
        #expect(CompressionCodec.gzip.description == "gzip")
    }

    @Test func invalidArguments() {
        _ = expectCodecError(.invalidArgument) { () throws(CodecError) in try CompressionCodec.zstd(level: 99).compress([1, 2, 3]) }
        for codec in Self.all {
            _ = expectCodecError(.invalidArgument) { () throws(CodecError) in try codec.decompress([UInt8](), uncompressedBytes: -1) }
        }
    }
}
