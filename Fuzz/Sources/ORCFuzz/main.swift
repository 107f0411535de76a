// libFuzzer entry for the ORC reader: the input bytes are stored as an in-memory file, opened with
// ORCFileReader (small limits, so a hostile row count cannot exhaust memory), inspected, filtered, and every
// stripe read and validated; each column's row index of the first stripe is decoded too. Any error other than
// ORCError, and any decoded batch that fails ColumnBatch.validate(), stops the fuzzer as a finding.
import Dispatch
import WeirColumnar
import WeirFileIO
import WeirORC

let limits = ORCReadLimits(tailBytesMax: 1 << 20, stripeFooterBytesMax: 1 << 18, streamBytesMax: 16 << 20,
                           stripeRowsMax: 1 << 20, stripeValuesMax: 1 << 21)

func exercise(_ bytes: [UInt8]) async {
    let io = MemoryFileIO()
    do {
        let path = try StoragePath(parsing: "memory://fuzz/input.orc")
        try await io.write(path, bytes, overwrite: true)
        let reader = try await ORCFileReader.open(io: io, path: path, options: ORCReadOptions(limits: limits))
        _ = try await ORCFile.inspect(io: io, path: path)
        if let first = reader.schema.fields.first {
            _ = reader.stripes(matching: .and([.isNotNull(first.name), .lessThan(first.name, .integer(0))]))
        }
        for stripe in reader.stripes {
            let batch = try await reader.read(stripe: stripe.index)
            do {
                try batch.validate()
            } catch {
                fatalError("stripe \(stripe.index) decoded to an invalid batch: \(error)")
            }
            guard batch.rowCount == stripe.rowCount else {
                fatalError("stripe \(stripe.index) decoded \(batch.rowCount) rows, declared \(stripe.rowCount)")
            }
        }
        if !reader.stripes.isEmpty {
            for column in 0..<reader.footer.types.count { _ = try? await reader.rowIndex(stripe: 0, column: column) }
        }
        await reader.close()
    } catch is ORCError {
        return
    } catch {
        fatalError("not an ORCError: \(type(of: error)): \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let done = DispatchSemaphore(value: 0)
    Task {
        await exercise(bytes)
        done.signal()
    }
    done.wait()
    return 0
}

// SwiftPM links every executable target with `--defsym main=<Target>_main`, which takes the place of libFuzzer's
// own `main`; this entry hands control to libFuzzer's driver with the same arguments.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("ORCFuzz_main")
public func orcFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzOne(data, size) }
}
