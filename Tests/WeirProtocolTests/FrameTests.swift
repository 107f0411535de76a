import Foundation
import Testing
@testable import WeirProtocol

@Suite struct FrameTests {
    @Test func framesSurviveAnyChunking() throws {
        let frames = [Frame(type: 12, payload: []), Frame(type: 30, payload: Array(0..<200).map { UInt8($0) }), Frame(type: 99, payload: [7])]
        let encoder = FrameEncoder()
        let stream = try frames.flatMap { try encoder.encode($0) }
        for chunk in [1, 3, 16, 17, stream.count] {
            var decoder = FrameDecoder()
            var got: [Frame] = []
            var offset = 0
            while offset < stream.count {
                decoder.append(stream[offset..<min(offset + chunk, stream.count)])
                offset += chunk
                while let frame = try decoder.next() { got.append(frame) }
            }
            #expect(got == frames, "chunks of \(chunk)")
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test func headerIsWhatTheDocSays() throws {
        let bytes = try FrameEncoder().encode(Frame(type: 0x0102, payload: [0xAA, 0xBB]))
        #expect(Array(bytes[0..<4]) == [0x57, 0x45, 0x49, 0x52])  // "WEIR"
        #expect(Array(bytes[4..<8]) == [0x00, 0x01, 0x01, 0x02])
        #expect(Array(bytes[8..<12]) == [0, 0, 0, 2])
        #expect(Array(bytes[16...]) == [0xAA, 0xBB])
    }

    func error(_ bytes: [UInt8], limit: Int = FrameHeader.frameBytesMaxDefault) -> ProtocolError? {
        var decoder = FrameDecoder(frameBytesMax: limit)
        decoder.append(bytes)
        do {
            _ = try decoder.next()
            return nil
        } catch {
            return error
        }
    }

    @Test func badStreamsAreRefusedEarly() throws {
        let good = try FrameEncoder().encode(Frame(type: 12, payload: Array(repeating: 1, count: 64)))
        #expect(error(Array("GET / HTTP/1.1\r\n".utf8))?.kind == .badMagic, "a foreign protocol is refused after 4 bytes")
        var version = good
        version[5] = 9
        #expect(error(version)?.kind == .unsupportedVersion)
        // A header declaring 1 GiB is refused from the 16 header bytes alone, before any payload arrives.
        var huge = Array(good[0..<16])
        huge[8] = 0x40
        #expect(error(huge)?.kind == .tooLarge)
        #expect(error(good, limit: 63)?.kind == .tooLarge)
        for index in [6, 7, 13, 16, 40, good.count - 1] {
            var flipped = good
            flipped[index] ^= 0x10
            #expect(error(flipped)?.kind == .checksumMismatch, "flipping byte \(index)")
        }
        var shorter = good
        shorter[11] = 63  // the length says 63: the checksum (which covers the length) catches it
        #expect(error(shorter)?.kind == .checksumMismatch)
        #expect(error(Array(good.dropLast())) == nil, "an incomplete frame waits for more bytes")
        #expect(throws: ProtocolError.self) { try FrameEncoder(frameBytesMax: 10).encode(Frame(type: 1, payload: Array(repeating: 0, count: 11))) }
    }

    @Test func aStreamEndingInsideAFrameIsMalformed() throws {
        let good = try FrameEncoder().encode(Frame(type: 12, payload: Array(repeating: 1, count: 64)))
        func finished(_ bytes: [UInt8]) -> ProtocolError? {
            var decoder = FrameDecoder()
            decoder.append(bytes)
            do {
                while try decoder.next() != nil {}
                try decoder.finish()
                return nil
            } catch {
                return error
            }
        }
        #expect(finished([]) == nil)
        #expect(finished(good + good) == nil, "a stream ending between frames is fine")
        #expect(finished(Array(good[0..<9])) == ProtocolError(.malformed, "the stream ended inside a frame header (9 of 16 bytes)"))
        #expect(finished(good + good.dropLast(4))
                == ProtocolError(.malformed, "the stream ended inside a frame of type 12: 60 of 64 payload bytes"))
    }

    @Test func aFailedDecoderStaysFailed() throws {
        var decoder = FrameDecoder()
        decoder.append(Array("nope".utf8))
        #expect(throws: ProtocolError.self) { try decoder.next() }
        decoder.append(try FrameEncoder().encode(Frame(type: 1, payload: [])))
        #expect(throws: ProtocolError.self) { try decoder.next() }
    }
}

/// The fuzz seeds in Fuzz/corpus/protocol were written by an independent encoder (a few lines of Python following
/// the frame layout in Frame.swift's doc comment, CRC-32C bit by bit): every seed decodes to messages, so the
/// documented layout and the code agree, and the fuzzer starts from valid streams.
@Suite struct FuzzSeedTests {
    @Test func everySeedDecodes() throws {
        let directory = PackageRootPath.value + "/Fuzz/corpus/protocol"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".bin") }.sorted()
        #expect(names.count >= 7)
        for name in names {
            var decoder = FrameDecoder()
            decoder.append(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            var messages: [Message] = []
            while let frame = try decoder.next() { messages.append(try MessageCoding.decode(frame)) }
            #expect(!messages.isEmpty && decoder.bufferedByteCount == 0, "\(name)")
        }
    }
}

enum PackageRootPath {
    static let value: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()
}
