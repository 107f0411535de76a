import WeirCodecs

/// One committed version of a table, the content of `snapshot/snapshot-<id>`; mirrors `org.apache.paimon.Snapshot`
/// in its Java 1.3 shape (spec/paimon-format.md section 3).
///
/// Reading (``init(parsing:subject:)``): unknown keys are ignored (so `uuid`, `operation`, `writerVersion` of later
/// writers are dropped, as Java 1.3 drops them); `version` may be absent (Paimon ≤ 0.2, read as nil and written as
/// 1, Java's `version()` getter). Required: `id`, `schemaId`, `baseManifestList`, `deltaManifestList`,
/// `commitUser`, `commitIdentifier`, `commitKind`, `timeMillis`. Integers are exact 64-bit values.
/// At most ``jsonBytesMax`` bytes.
///
/// Writing (``toJson()``): Java's field order `version, id, schemaId, baseManifestList, baseManifestListSize,
/// deltaManifestList, deltaManifestListSize, changelogManifestList, changelogManifestListSize, indexManifest,
/// commitUser, commitIdentifier, commitKind, timeMillis, logOffsets, totalRecordCount, deltaRecordCount,
/// changelogRecordCount, watermark, statistics, properties, nextRowId`, pretty-printed like Jackson. As Java does,
/// `changelogManifestList`, `totalRecordCount` and `deltaRecordCount` are written as `null` when nil; every other
/// optional member is omitted when nil.
public struct Snapshot: Sendable, Equatable {
    /// `Snapshot.CURRENT_VERSION`.
    public static let currentVersion: Int32 = 3
    /// `Snapshot.FIRST_SNAPSHOT_ID`.
    public static let firstSnapshotId: Int64 = 1
    /// `commitIdentifier` of batch commits (`Long.MAX_VALUE`).
    public static let batchCommitIdentifier = Int64.max
    /// The largest snapshot file read.
    public static let jsonBytesMax = 4 << 20

    /// `Snapshot.CommitKind`.
    public enum CommitKind: String, Sendable, CaseIterable {
        /// Only new data files (no file deleted).
        case append = "APPEND"
        /// Files rewritten by compaction: same logical content.
        case compact = "COMPACT"
        /// Files deleted and added by INSERT OVERWRITE, truncation, row-level deletes on append tables.
        case overwrite = "OVERWRITE"
        /// Only the statistics changed.
        case analyze = "ANALYZE"
    }

    /// nil only for Paimon ≤ 0.2 files.
    public var version: Int32?
    public var id: Int64
    public var schemaId: Int64
    /// Manifest list (in `manifest/`) of all live changes before this snapshot.
    public var baseManifestList: String
    public var baseManifestListSize: Int64?
    /// Manifest list of the changes made by this snapshot.
    public var deltaManifestList: String
    public var deltaManifestListSize: Int64?
    public var changelogManifestList: String?
    public var changelogManifestListSize: Int64?
    /// Index manifest: a full listing of the live index files.
    public var indexManifest: String?
    public var commitUser: String
    public var commitIdentifier: Int64
    public var commitKind: CommitKind
    /// Commit wall-clock time, epoch milliseconds.
    public var timeMillis: Int64
    /// Log-system offsets by partition (Java 1.2/1.3 always write `{ }`).
    public var logOffsets: [Int32: Int64]?
    /// Σ row counts of all live data files after this commit.
    public var totalRecordCount: Int64?
    /// Σ row counts of added minus deleted files in this commit.
    public var deltaRecordCount: Int64?
    public var changelogRecordCount: Int64?
    public var watermark: Int64?
    /// Statistics file name in `statistics/`.
    public var statistics: String?
    public var properties: [String: String]?
    /// Row tracking's next row id (Java 1.3 writes it on every commit).
    public var nextRowId: Int64?

    public init(
        version: Int32? = Snapshot.currentVersion, id: Int64, schemaId: Int64,
        baseManifestList: String, baseManifestListSize: Int64? = nil,
        deltaManifestList: String, deltaManifestListSize: Int64? = nil,
        changelogManifestList: String? = nil, changelogManifestListSize: Int64? = nil,
        indexManifest: String? = nil, commitUser: String, commitIdentifier: Int64, commitKind: CommitKind,
        timeMillis: Int64, logOffsets: [Int32: Int64]? = [:], totalRecordCount: Int64?, deltaRecordCount: Int64?,
        changelogRecordCount: Int64? = 0, watermark: Int64? = nil, statistics: String? = nil,
        properties: [String: String]? = nil, nextRowId: Int64? = nil
    ) {
        self.version = version
        self.id = id
        self.schemaId = schemaId
        self.baseManifestList = baseManifestList
        self.baseManifestListSize = baseManifestListSize
        self.deltaManifestList = deltaManifestList
        self.deltaManifestListSize = deltaManifestListSize
        self.changelogManifestList = changelogManifestList
        self.changelogManifestListSize = changelogManifestListSize
        self.indexManifest = indexManifest
        self.commitUser = commitUser
        self.commitIdentifier = commitIdentifier
        self.commitKind = commitKind
        self.timeMillis = timeMillis
        self.logOffsets = logOffsets
        self.totalRecordCount = totalRecordCount
        self.deltaRecordCount = deltaRecordCount
        self.changelogRecordCount = changelogRecordCount
        self.watermark = watermark
        self.statistics = statistics
        self.properties = properties
        self.nextRowId = nextRowId
    }

    /// Java's `version()`: 1 when the file has none.
    public var effectiveVersion: Int32 { version ?? 1 }

    /// Parses a snapshot file (also the snapshot part of tag and long-lived changelog files).
    public init(parsing bytes: [UInt8], subject: String = "snapshot file") throws(PaimonFormatError) {
        let root = try JsonSerdeUtil.parse(bytes, subject: subject, bytesMax: Self.jsonBytesMax)
        let o = try JsonSerdeUtil.ObjectReader(root, subject: subject)
        let kindText = try o.string("commitKind")
        guard let kind = CommitKind(rawValue: kindText) else {
            throw PaimonFormatError(subject, "\"commitKind\" = \"\(kindText)\" is not one of APPEND, COMPACT, OVERWRITE, ANALYZE")
        }
        var logOffsets: [Int32: Int64]? = nil
        if let node = o.member("logOffsets"), node != .null {
            guard case .object(let entries) = node else { throw PaimonFormatError(subject, "\"logOffsets\" must be an object") }
            var map: [Int32: Int64] = [:]
            for entry in entries {
                guard let partition = Int32(entry.key) else {
                    throw PaimonFormatError(subject, "\"logOffsets\" key \"\(entry.key)\" is not a 32-bit integer")
                }
                map[partition] = try JsonSerdeUtil.ObjectReader.int64(entry.value, at: "logOffsets.\(entry.key)", subject: subject)
            }
            logOffsets = map
        }
        var properties: [String: String]? = nil
        if let node = o.member("properties"), node != .null {
            var map: [String: String] = [:]
            for entry in try o.stringMap("properties") { map[entry.key] = entry.value }
            properties = map
        }
        self.init(
            version: try o.optionalInt32("version"), id: try o.int64("id"), schemaId: try o.int64("schemaId"),
            baseManifestList: try o.string("baseManifestList"), baseManifestListSize: try o.optionalInt64("baseManifestListSize"),
            deltaManifestList: try o.string("deltaManifestList"), deltaManifestListSize: try o.optionalInt64("deltaManifestListSize"),
            changelogManifestList: try o.optionalString("changelogManifestList"),
            changelogManifestListSize: try o.optionalInt64("changelogManifestListSize"),
            indexManifest: try o.optionalString("indexManifest"), commitUser: try o.string("commitUser"),
            commitIdentifier: try o.int64("commitIdentifier"), commitKind: kind, timeMillis: try o.int64("timeMillis"),
            logOffsets: logOffsets, totalRecordCount: try o.optionalInt64("totalRecordCount"),
            deltaRecordCount: try o.optionalInt64("deltaRecordCount"),
            changelogRecordCount: try o.optionalInt64("changelogRecordCount"), watermark: try o.optionalInt64("watermark"),
            statistics: try o.optionalString("statistics"), properties: properties, nextRowId: try o.optionalInt64("nextRowId"))
    }

    /// The JSON tree Java's Jackson mapping of `Snapshot` writes.
    public var jsonNode: JsonSerdeUtil.Node {
        typealias M = JsonSerdeUtil.Member
        func optionalNumber(_ value: Int64?) -> JsonSerdeUtil.Node { value.map { .integer($0) } ?? .null }
        var m: [M] = [
            M("version", .integer(effectiveVersion)),
            M("id", .integer(id)),
            M("schemaId", .integer(schemaId)),
            M("baseManifestList", .string(baseManifestList)),
        ]
        if let baseManifestListSize { m.append(M("baseManifestListSize", .integer(baseManifestListSize))) }
        m.append(M("deltaManifestList", .string(deltaManifestList)))
        if let deltaManifestListSize { m.append(M("deltaManifestListSize", .integer(deltaManifestListSize))) }
        m.append(M("changelogManifestList", changelogManifestList.map { .string($0) } ?? .null))
        if let changelogManifestListSize { m.append(M("changelogManifestListSize", .integer(changelogManifestListSize))) }
        if let indexManifest { m.append(M("indexManifest", .string(indexManifest))) }
        m.append(M("commitUser", .string(commitUser)))
        m.append(M("commitIdentifier", .integer(commitIdentifier)))
        m.append(M("commitKind", .string(commitKind.rawValue)))
        m.append(M("timeMillis", .integer(timeMillis)))
        if let logOffsets {
            m.append(M("logOffsets", .object(logOffsets.keys.sorted().map { M(String($0), .integer(logOffsets[$0]!)) })))
        }
        m.append(M("totalRecordCount", optionalNumber(totalRecordCount)))
        m.append(M("deltaRecordCount", optionalNumber(deltaRecordCount)))
        if let changelogRecordCount { m.append(M("changelogRecordCount", .integer(changelogRecordCount))) }
        if let watermark { m.append(M("watermark", .integer(watermark))) }
        if let statistics { m.append(M("statistics", .string(statistics))) }
        if let properties { m.append(M("properties", .object(JavaHashMapOrder.members(properties)))) }
        if let nextRowId { m.append(M("nextRowId", .integer(nextRowId))) }
        return .object(m)
    }

    /// `Snapshot#toJson`: the snapshot file text.
    public func toJson() -> String { JsonSerdeUtil.toJson(jsonNode) }
}
