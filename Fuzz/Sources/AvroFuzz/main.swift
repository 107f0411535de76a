// libFuzzer entry for WeirAvro: the input bytes are an Avro object container file, stored under an in-memory path
// (memory://fuzz/input.avro) and read through the FileIO like any file: the generic reader decodes every record of
// every block, the column-batch reader decodes every block into batches, and `AvroFile.inspect` walks the blocks.
// Anything but values or an AvroError is a bug (the harness traps). Oracles on what does decode: the writer schema
// prints to JSON that parses back equal, and every record re-encodes to bytes that decode back to the same value.
// Built by `Fuzz/run avro SECONDS` with -sanitize=fuzzer,address -parse-as-library (no @main here). SwiftPM links
// executables with `--defsym main=AvroFuzz_main`, so `AvroFuzz_main` below hands over to libFuzzer's driver.
import Dispatch
import WeirAvro
import WeirFileIO

let fuzzIO = MemoryFileIO(bytesMax: 64 << 20)
let fuzzPath = try! StoragePath(parsing: "memory://fuzz/input.avro")

/// Tighter than the defaults so one input cannot use more than a few hundred MiB under ASan.
let fuzzLimits: AvroLimits = {
    var limits = AvroLimits()
    limits.blockUncompressedBytesMax = 4 << 20
    limits.blockBytesMax = 4 << 20
    limits.collectionItemsMax = 1 << 20
    limits.zeroByteRecordsPerBlockMax = 1 << 16
    return limits
}()

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("AvroFuzz_main")
public func avroFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, avroFuzzOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func avroFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let done = DispatchSemaphore(value: 0)
    Task {
        await fuzzOne(bytes)
        done.signal()
    }
    done.wait()
    return 0
}

func fuzzOne(_ bytes: [UInt8]) async {
    do {
        try await fuzzIO.write(fuzzPath, bytes, overwrite: true)
    } catch {
        fatalError("the in-memory store refused the input: \(error)")
    }
    await expectAvroErrorOnly("generic reader") {
        let reader = try await AvroFileReader.open(io: fuzzIO, path: fuzzPath, limits: fuzzLimits)
        do {
            let schema = reader.writerSchema
            guard let reparsed = try? AvroSchema.parse(schema.json()), reparsed == schema else {
                fatalError("schema does not survive printing: \(schema.json())")
            }
            let writer = try AvroDatumWriter(schema: schema, limits: fuzzLimits)
            let datumReader = try AvroDatumReader(writerSchema: schema, limits: fuzzLimits)
            while let records = try await reader.nextRecords() {
                for record in records {
                    let encoded = try writer.encode(record)
                    guard try datumReader.decode(encoded) == record else { fatalError("a record does not survive re-encoding") }
                }
            }
            await reader.close()
        } catch {
            await reader.close()
            throw error
        }
    }
    await expectAvroErrorOnly("batch reader") {
        let reader = try await AvroBatchReader.open(io: fuzzIO, path: fuzzPath, limits: fuzzLimits)
        do {
            while let batch = try await reader.next() {
                if batch.rowCount == 0 { fatalError("an empty batch") }
            }
            await reader.close()
        } catch {
            await reader.close()
            throw error
        }
    }
    await expectAvroErrorOnly("inspect") {
        _ = try await AvroFile.inspect(io: fuzzIO, path: fuzzPath, limits: fuzzLimits)
    }
}

/// Runs `body`; an AvroError is an expected outcome, any other error a bug.
func expectAvroErrorOnly(_ what: String, _ body: () async throws -> Void) async {
    do {
        try await body()
    } catch is AvroError {
    } catch {
        fatalError("\(what): not an AvroError: \(type(of: error)): \(error)")
    }
}
