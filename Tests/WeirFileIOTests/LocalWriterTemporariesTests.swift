import Foundation
import Testing
import WeirFileIO
import WeirTestSupport

/// LocalFileIO's unpublished writer files: hidden from listings unless ``ListOptions/includeWriterTemporaries``
/// asks for them (as the orphan clean does, to delete what a killed writer left).
@Suite struct LocalWriterTemporariesTests {
    @Test func listedOnlyWhenAskedFor() async throws {
        let scratch = try Scratch("local-temporaries")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let directory = try StoragePath(parsing: "file://" + scratch.path + "/d")
        try await io.write(try directory.appending("published.bin"), [1, 2], overwrite: false)
        let writer = try await io.create(try directory.appending("sub/unpublished.bin"), overwrite: false)
        try await writer.write([1, 2, 3])

        let plain = try await io.listAll(directory, recursive: true)
        #expect(plain.files.map { String($0.path.name) } == ["published.bin"])
        let all = try await io.listAll(directory, recursive: true, includeWriterTemporaries: true)
        let names = all.files.map { String($0.path.name) }.sorted()
        #expect(names.count == 2 && names.contains("published.bin"), "\(names)")
        let temporary = try #require(all.files.first { $0.path.name.hasPrefix(".weir-tmp-") }, "\(names)")
        #expect(temporary.path.name.hasSuffix("-unpublished.bin") && temporary.size == 3 && temporary.path.parent.name == "sub")
        // A temporary can be deleted by its listed path (the writer's close then fails; abort is still safe).
        #expect(try await io.delete(temporary.path, recursive: false))
        #expect(try await io.listAll(directory, recursive: true, includeWriterTemporaries: true).files.count == 1)
        await writer.abort()
    }
}
