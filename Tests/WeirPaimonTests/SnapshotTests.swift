import Foundation
import Testing
import WeirPaimon

@Suite struct SnapshotTests {
    /// A snapshot written by Java (Paimon's `docs/content/learn-paimon/understand-files.md` at release-1.3.2).
    static let javaSnapshotExample = """
        {
          "version" : 3,
          "id" : 4,
          "schemaId" : 0,
          "baseManifestList" : "manifest-list-9be16-82e7-4941-8b0a-7ce1c1d0fa6d-0",
          "deltaManifestList" : "manifest-list-9be16-82e7-4941-8b0a-7ce1c1d0fa6d-1",
          "changelogManifestList" : null,
          "commitUser" : "a3d951d5-aa0e-4071-a5d4-4c72a4233d48",
          "commitIdentifier" : 9223372036854775807,
          "commitKind" : "COMPACT",
          "timeMillis" : 1684163217960,
          "logOffsets" : { },
          "totalRecordCount" : 2,
          "deltaRecordCount" : -16,
          "changelogRecordCount" : 0,
          "watermark" : -9223372036854775808
        }
        """

    @Test func javaWrittenExamplePrintsByteForByte() throws {
        let snapshot = try Snapshot(parsing: Array(Self.javaSnapshotExample.utf8))
        #expect(snapshot.id == 4)
        #expect(snapshot.commitKind == .compact)
        #expect(snapshot.commitIdentifier == Int64.max)
        #expect(snapshot.watermark == Int64.min)
        #expect(snapshot.deltaRecordCount == -16)
        #expect(snapshot.changelogManifestList == nil)
        #expect(snapshot.logOffsets == [:])
        #expect(snapshot.toJson() == Self.javaSnapshotExample)
    }

    @Test func everyFixtureSnapshotParsesPrintsAndReparses() throws {
        var count = 0
        for table in try fixtureTables() {
            let names = try fixtureFiles(table, "snapshot")
            var ids: [Int64] = []
            for name in names {
                guard let id = SnapshotManager.parseSnapshotFileName(name) else {
                    #expect(name == HintFileUtils.latest || name == HintFileUtils.earliest, "unexpected \(name)")
                    continue
                }
                ids.append(id)
                let snapshot = try Snapshot(parsing: fixtureBytes("\(table)/snapshot/\(name)"), subject: "\(table)/snapshot/\(name)")
                #expect(snapshot.id == id)
                #expect(snapshot.version == 3)
                #expect(snapshot.commitKind == .append)
                #expect(snapshot.commitIdentifier == Snapshot.batchCommitIdentifier)
                #expect(snapshot.baseManifestListSize != nil && snapshot.deltaManifestListSize != nil)
                #expect(snapshot.logOffsets == nil, "pypaimon writes no logOffsets")
                #expect(snapshot.indexManifest != nil || table != "pk_dynamic_bucket")
                let printed = snapshot.toJson()
                #expect(printed.contains("\"changelogManifestList\" : null,"), "Java writes an explicit null")
                #expect(!printed.contains("uuid") && !printed.contains("writerVersion"), "later writers' keys are not Java 1.3's")
                let again = try Snapshot(parsing: Array(printed.utf8))
                #expect(again == snapshot)
                #expect(again.toJson() == printed)
                count += 1
            }
            let latest = HintFileUtils.parseHint(try fixtureBytes("\(table)/snapshot/LATEST"))
            #expect(latest == ids.max(), "\(table) LATEST")
        }
        #expect(count == 21)
    }

    @Test func everyMemberIsWrittenInJavasOrderAndOmittedWhenNil() throws {
        let full = Snapshot(
            id: 7, schemaId: 2, baseManifestList: "manifest-list-a-0", baseManifestListSize: 1234, deltaManifestList: "manifest-list-a-1",
            deltaManifestListSize: 99, changelogManifestList: "manifest-list-a-2", changelogManifestListSize: 5, indexManifest: "index-manifest-b-0",
            commitUser: "user \"quoted\"", commitIdentifier: 42, commitKind: .overwrite, timeMillis: 1_700_000_000_123,
            logOffsets: [3: 30, 1: 10], totalRecordCount: 100, deltaRecordCount: -4, changelogRecordCount: 12, watermark: -5,
            statistics: "stat-c-0", properties: ["k": "v"], nextRowId: 77)
        let expected = """
            {
              "version" : 3,
              "id" : 7,
              "schemaId" : 2,
              "baseManifestList" : "manifest-list-a-0",
              "baseManifestListSize" : 1234,
              "deltaManifestList" : "manifest-list-a-1",
              "deltaManifestListSize" : 99,
              "changelogManifestList" : "manifest-list-a-2",
              "changelogManifestListSize" : 5,
              "indexManifest" : "index-manifest-b-0",
              "commitUser" : "user \\"quoted\\"",
              "commitIdentifier" : 42,
              "commitKind" : "OVERWRITE",
              "timeMillis" : 1700000000123,
              "logOffsets" : {
                "1" : 10,
                "3" : 30
              },
              "totalRecordCount" : 100,
              "deltaRecordCount" : -4,
              "changelogRecordCount" : 12,
              "watermark" : -5,
              "statistics" : "stat-c-0",
              "properties" : {
                "k" : "v"
              },
              "nextRowId" : 77
            }
            """
        #expect(full.toJson() == expected)
        #expect(try Snapshot(parsing: Array(expected.utf8)) == full)

        let minimal = Snapshot(
            version: nil, id: 1, schemaId: 0, baseManifestList: "b", deltaManifestList: "d", commitUser: "u", commitIdentifier: 1,
            commitKind: .analyze, timeMillis: 0, logOffsets: nil, totalRecordCount: nil, deltaRecordCount: nil, changelogRecordCount: nil)
        #expect(minimal.toJson() == """
            {
              "version" : 1,
              "id" : 1,
              "schemaId" : 0,
              "baseManifestList" : "b",
              "deltaManifestList" : "d",
              "changelogManifestList" : null,
              "commitUser" : "u",
              "commitIdentifier" : 1,
              "commitKind" : "ANALYZE",
              "timeMillis" : 0,
              "totalRecordCount" : null,
              "deltaRecordCount" : null
            }
            """)
        let reread = try Snapshot(parsing: Array(minimal.toJson().utf8))
        #expect(reread.version == 1 && reread.totalRecordCount == nil && reread.logOffsets == nil)
        #expect(Snapshot.CommitKind.allCases.map(\.rawValue) == ["APPEND", "COMPACT", "OVERWRITE", "ANALYZE"])
    }

    @Test func versionlessSnapshotsOfOldWriters() throws {
        let old = try Snapshot(parsing: Array(#"{"id": 3, "schemaId": 0, "baseManifestList": "b", "deltaManifestList": "d", "commitUser": "u", "commitIdentifier": 5, "commitKind": "APPEND", "timeMillis": 9}"#.utf8))
        #expect(old.version == nil)
        #expect(old.effectiveVersion == 1)
        #expect(old.totalRecordCount == nil)
    }

    @Test func malformedSnapshotsAreErrors() {
        let good = #"{"version": 3, "id": 1, "schemaId": 0, "baseManifestList": "b", "deltaManifestList": "d", "commitUser": "u", "commitIdentifier": 9223372036854775807, "commitKind": "APPEND", "timeMillis": 1, "logOffsets": {}, "totalRecordCount": 1, "deltaRecordCount": 1}"#
        #expect(throws: Never.self) { try Snapshot(parsing: Array(good.utf8)) }
        let cases: [(String, String)] = [
            (String(good.prefix(40)), "invalid JSON"),
            (good.replacingOccurrences(of: #""commitKind": "APPEND""#, with: #""commitKind": "append""#), "commitKind"),
            (good.replacingOccurrences(of: #""commitKind": "APPEND""#, with: #""commitKind": 1"#), "must be a string"),
            (good.replacingOccurrences(of: "9223372036854775807", with: "9223372036854775808"), "not a 64-bit integer"),
            (good.replacingOccurrences(of: #""id": 1,"#, with: ""), "missing \"id\""),
            (good.replacingOccurrences(of: #""schemaId": 0"#, with: #""schemaId": null"#), "must be an integer"),
            (good.replacingOccurrences(of: #""logOffsets": {}"#, with: #""logOffsets": {"x": 1}"#), "logOffsets"),
            (good.replacingOccurrences(of: #""logOffsets": {}"#, with: #""logOffsets": [1]"#), "must be an object"),
            (good.replacingOccurrences(of: #""totalRecordCount": 1"#, with: #""totalRecordCount": "1""#), "must be an integer"),
            (good.replacingOccurrences(of: #""baseManifestList": "b""#, with: #""baseManifestList": ["b"]"#), "must be a string"),
            (good + "x", "invalid JSON"),
        ]
        for (text, message) in cases {
            let error = paimonError { _ = try Snapshot(parsing: Array(text.utf8), subject: "snapshot-1") }
            #expect(error?.subject == "snapshot-1", "\(text)")
            #expect(error?.message.contains(message) == true, "\(String(describing: error)) should mention \(message)")
        }
    }

    @Test func hintFiles() {
        #expect(HintFileUtils.parseHint("2") == 2)
        #expect(HintFileUtils.parseHint(Array("9223372036854775807".utf8)) == Int64.max)
        #expect(HintFileUtils.hintText(15) == "15")
        for garbled in ["", "2\n", " 2", "0", "-3", "abc", "99999999999999999999", "1.5"] {
            #expect(HintFileUtils.parseHint(garbled) == nil, "\(garbled)")
        }
        #expect(HintFileUtils.parseHint([0xFF]) == nil)
        #expect(HintFileUtils.parseHint([UInt8](repeating: 0x31, count: 40)) == nil)
    }
}
