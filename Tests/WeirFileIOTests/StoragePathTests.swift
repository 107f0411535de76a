import Testing
import WeirFileIO

@Suite struct StoragePathTests {
    @Test func parsesEachScheme() throws {
        let s3 = try StoragePath(parsing: "s3://my-bucket/a/b/c.parquet")
        #expect(s3.scheme == "s3" && s3.authority == "my-bucket" && s3.key == "a/b/c.parquet")
        #expect(s3.name == "c.parquet")
        #expect(s3.parent.description == "s3://my-bucket/a/b")
        let file = try StoragePath(parsing: "file:///tmp/x//y/./z/")
        #expect(file.key == "tmp/x/y/z" && file.localPath == "/tmp/x/y/z")
        #expect(file.description == "file:///tmp/x/y/z")
        let bare = try StoragePath(parsing: "/var/data")
        #expect(bare.scheme == "file" && bare.key == "var/data")
        let memory = try StoragePath(parsing: "memory://vol/k")
        #expect(memory.authority == "vol" && memory.parent.isRoot)
    }

    @Test func rejectsEscapesAndBadInput() {
        for bad in ["s3://bucket/a/../b", "file:///tmp/../etc/passwd", "s3://Bucket_Upper/k", "s3://ab/k",
                    "memory://v/a\u{0}b", "memory://v/a\nb", "relative/path", "file://host/tmp/x",
                    "s3://bucket/" + String(repeating: "k", count: 1100)] {
            #expect(throws: FileIOError.self, "\(bad)") { try StoragePath(parsing: bad) }
        }
        let base = try! StoragePath(parsing: "s3://bucket/root")
        #expect(throws: FileIOError.self) { try base.appending("../escape") }
    }

    @Test func relativeAndWithin() throws {
        let root = try StoragePath(parsing: "s3://bucket/w")
        let child = try root.appending("db.db/t/snapshot")
        #expect(child.isWithin(root))
        #expect(child.relative(to: root) == "db.db/t/snapshot")
        #expect(!(try StoragePath(parsing: "s3://bucket/wx")).isWithin(root))
    }
}
