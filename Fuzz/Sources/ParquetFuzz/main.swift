import WeirColumnar
import WeirParquet

/// libFuzzer entry: the input is a whole Parquet file held in memory. It is read completely (every row group, every
/// column, with the small limits of ``ParquetReadOptions/small``) and inspected. A ``ParquetError`` is the expected
/// answer to a bad file; a trap, an address-sanitizer report, a leak, a hang or a batch that fails
/// `ColumnBatch.validate()` is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func parquetFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { [UInt8](UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let (schema, batches) = try? ParquetFile.readBatches(bytes: bytes, name: "fuzz-input", options: .small) {
        for batch in batches {
            precondition(batch.schema == schema, "a batch's schema differs from the file's")
            do {
                try batch.validate()
            } catch {
                preconditionFailure("the reader returned an invalid batch: \(error)")
            }
        }
    }
    _ = try? ParquetFile.inspect(bytes: bytes, name: "fuzz-input", options: .small)
    return 0
}

// SwiftPM links an executable target with `main` defined as `<Target>_main` (the entry point it expects the module to
// have); with `-parse-as-library` there is none, and libFuzzer's own `main` is then not used. So the entry point is
// provided here and hands over to libFuzzer's driver, which is what libFuzzer's `main` does.

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("ParquetFuzz_main")
public func parquetFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in parquetFuzzOneInput(data, size) }
}
