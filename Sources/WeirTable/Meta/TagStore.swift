import struct Foundation.Date
import struct Foundation.TimeZone
import WeirCodecs
import WeirFileIO
import WeirPaimon

/// A date and time without a zone, Java's `java.time.LocalDateTime`: what Java stores as a tag's creation time
/// (the writer's local wall clock).
public struct LocalDateTime: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }

    /// The wall-clock time of the instant `epochMillis` at `utcOffsetSeconds` east of UTC.
    public init(epochMillis: Int64, utcOffsetSeconds: Int = 0) {
        let local = epochMillis + Int64(utcOffsetSeconds) * 1000
        let (daysFloor, millisOfDay) = Self.floorDivMod(local, 86_400_000)
        let civil = Self.civil(fromDays: daysFloor)
        self.init(year: civil.year, month: civil.month, day: civil.day, hour: Int(millisOfDay / 3_600_000),
                  minute: Int(millisOfDay / 60_000 % 60), second: Int(millisOfDay / 1000 % 60),
                  nanosecond: Int(millisOfDay % 1000) * 1_000_000)
    }

    /// Java's `LocalDateTime.now()`: the current time on this machine's clock and time zone.
    public static func now() -> LocalDateTime {
        let date = Date()
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        return LocalDateTime(epochMillis: millis, utcOffsetSeconds: TimeZone.current.secondsFromGMT(for: date))
    }

    /// The instant this wall-clock time denotes at `utcOffsetSeconds` east of UTC, in epoch milliseconds.
    public func epochMillis(utcOffsetSeconds: Int = 0) -> Int64 {
        let days = Self.days(fromCivil: year, month, day)
        let millis = ((Int64(hour) * 60 + Int64(minute)) * 60 + Int64(second)) * 1000 + Int64(nanosecond / 1_000_000)
        return days * 86_400_000 + millis - Int64(utcOffsetSeconds) * 1000
    }

    /// `LocalDateTime#toString`: `yyyy-MM-ddTHH:mm[:ss[.fff|.ffffff|.fffffffff]]`.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2))"
        if second != 0 || nanosecond != 0 {
            out += ":" + pad(second, 2)
            if nanosecond != 0 {
                if nanosecond % 1_000_000 == 0 {
                    out += "." + pad(nanosecond / 1_000_000, 3)
                } else if nanosecond % 1000 == 0 {
                    out += "." + pad(nanosecond / 1000, 6)
                } else {
                    out += "." + pad(nanosecond, 9)
                }
            }
        }
        return out
    }

    var isValid: Bool {
        (1...12).contains(month) && (1...31).contains(day) && (0...23).contains(hour) && (0...59).contains(minute)
            && (0...59).contains(second) && (0...999_999_999).contains(nanosecond) && (-999_999_999...999_999_999).contains(year)
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Days since 1970-01-01 → proleptic Gregorian date (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// A tag: a named snapshot kept past expiration, the content of `tag/tag-<name>` (Java's `Tag`: the snapshot's
/// JSON plus `tagCreateTime` and `tagTimeRetained` when the tag has a retention time).
public struct TableTag: Sendable, Equatable {
    public var name: String
    public var snapshot: Snapshot
    /// When the tag was made (the writer's local wall clock); nil for tags without a retention time.
    public var createTime: LocalDateTime?
    /// How long the tag is kept after `createTime`; nil = until deleted.
    public var timeRetained: Duration?

    public init(name: String, snapshot: Snapshot, createTime: LocalDateTime? = nil, timeRetained: Duration? = nil) {
        self.name = name
        self.snapshot = snapshot
        self.createTime = createTime
        self.timeRetained = timeRetained
    }

    /// The tag file text as Java's Jackson mapping of `Tag` writes it: the snapshot members, then
    /// `tagCreateTime` as an array `[y, M, d, h, m(, s(, nanos))]` and `tagTimeRetained` as decimal seconds with
    /// nine fraction digits (`JavaTimeModule` defaults); both omitted when nil.
    public func toJson() -> String {
        guard case .object(var members) = snapshot.jsonNode else { preconditionFailure("snapshot JSON is an object") }
        if let createTime {
            var parts: [JsonSerdeUtil.Node] = [.integer(createTime.year), .integer(createTime.month), .integer(createTime.day),
                                               .integer(createTime.hour), .integer(createTime.minute)]
            if createTime.second > 0 || createTime.nanosecond > 0 {
                parts.append(.integer(createTime.second))
                if createTime.nanosecond > 0 { parts.append(.integer(createTime.nanosecond)) }
            }
            members.append(JsonSerdeUtil.Member("tagCreateTime", .array(parts)))
        }
        if let timeRetained {
            members.append(JsonSerdeUtil.Member("tagTimeRetained", .number(Self.durationText(timeRetained))))
        }
        return JsonSerdeUtil.toJson(.object(members))
    }

    /// Jackson's `DurationSerializer` with timestamps in nanoseconds: `seconds.nnnnnnnnn`, `0.0` for zero.
    static func durationText(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanos = attoseconds / 1_000_000_000
        if seconds == 0 && nanos == 0 { return "0.0" }
        let fraction = String(nanos)
        return "\(seconds)." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }

    /// Parses a tag file (`Tag.fromJson`): a snapshot with optional `tagCreateTime` (array or ISO text) and
    /// `tagTimeRetained` (decimal seconds, or ISO-8601 text such as `PT1H`).
    public init(name: String, parsing bytes: [UInt8], subject: String) throws(TableError) {
        let snapshot: Snapshot
        let root: JSONNode
        do {
            snapshot = try Snapshot(parsing: bytes, subject: subject)
            root = try JsonSerdeUtil.parse(bytes, subject: subject, bytesMax: Snapshot.jsonBytesMax)
        } catch {
            throw TableError(.corrupt, subject, error.message)
        }
        var createTime: LocalDateTime? = nil
        if let node = root["tagCreateTime"], node != .null {
            guard let value = Self.parseLocalDateTime(node) else {
                throw TableError(.corrupt, subject, "\"tagCreateTime\" is not a date-time")
            }
            createTime = value
        }
        var timeRetained: Duration? = nil
        if let node = root["tagTimeRetained"], node != .null {
            guard let value = Self.parseDuration(node) else {
                throw TableError(.corrupt, subject, "\"tagTimeRetained\" is not a duration")
            }
            timeRetained = value
        }
        self.init(name: name, snapshot: snapshot, createTime: createTime, timeRetained: timeRetained)
    }

    static func parseLocalDateTime(_ node: JSONNode) -> LocalDateTime? {
        switch node {
        case .array(let items):
            guard (5...7).contains(items.count) else { return nil }
            var numbers: [Int] = []
            for item in items {
                guard case .number(let text) = item, let n = Int(text) else { return nil }
                numbers.append(n)
            }
            while numbers.count < 7 { numbers.append(0) }
            let value = LocalDateTime(year: numbers[0], month: numbers[1], day: numbers[2], hour: numbers[3],
                                      minute: numbers[4], second: numbers[5], nanosecond: numbers[6])
            return value.isValid ? value : nil
        case .string(let text):
            // yyyy-MM-ddTHH:mm[:ss[.f…]]
            let parts = text.split(separator: "T", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
            let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard date.count == 3, (2...3).contains(time.count), let y = Int(date[0]), let mo = Int(date[1]), let d = Int(date[2]),
                  let h = Int(time[0]), let mi = Int(time[1]) else { return nil }
            var second = 0, nanos = 0
            if time.count == 3 {
                let secondParts = time[2].split(separator: ".", omittingEmptySubsequences: false)
                guard let s = Int(secondParts[0]), secondParts.count <= 2 else { return nil }
                second = s
                if secondParts.count == 2 {
                    let digits = secondParts[1]
                    guard (1...9).contains(digits.count), let f = Int(digits) else { return nil }
                    nanos = f * Int(pow10(9 - digits.count))
                }
            }
            let value = LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: second, nanosecond: nanos)
            return value.isValid ? value : nil
        default:
            return nil
        }
    }

    static func pow10(_ n: Int) -> Int64 { (0..<n).reduce(Int64(1)) { r, _ in r * 10 } }

    static func parseDuration(_ node: JSONNode) -> Duration? {
        switch node {
        case .number(let text):
            // Jackson reads a decimal as seconds.nanos and an integer as seconds.
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let seconds = Int64(parts[0]), seconds >= 0 else { return nil }
            var nanos: Int64 = 0
            if parts.count == 2 {
                let digits = parts[1].prefix(9)
                guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let f = Int64(digits) else { return nil }
                nanos = f * pow10(9 - digits.count)
            }
            return .seconds(seconds) + .nanoseconds(nanos)
        case .string(let text):
            return parseISODuration(text)
        default:
            return nil
        }
    }

    /// `PnDTnHnMn.nS` (the forms `Duration.toString` writes), non-negative.
    static func parseISODuration(_ text: String) -> Duration? {
        var rest = Substring(text.uppercased())
        guard rest.hasPrefix("P") else { return nil }
        rest = rest.dropFirst()
        var total: Duration = .zero
        var inTime = false
        var number = ""
        var any = false
        for ch in rest {
            if ch == "T" { guard !inTime, number.isEmpty else { return nil }; inTime = true; continue }
            if ch.isNumber || ch == "." { number.append(ch); continue }
            guard !number.isEmpty else { return nil }
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            guard let whole = Int64(parts[0]) else { return nil }
            var nanos: Int64 = 0
            if parts.count == 2 {
                let digits = parts[1].prefix(9)
                guard let f = Int64(digits) else { return nil }
                nanos = f * pow10(9 - digits.count)
            }
            switch (ch, inTime) {
            case ("D", false): total += .seconds(whole * 86_400)
            case ("H", true): total += .seconds(whole * 3600)
            case ("M", true): total += .seconds(whole * 60)
            case ("S", true): total += .seconds(whole) + .nanoseconds(nanos)
            default: return nil
            }
            guard parts.count == 1 || ch == "S" else { return nil }
            number = ""
            any = true
        }
        return any && number.isEmpty ? total : nil
    }
}

/// The tags of a table (`tag/tag-<name>`), mirroring Java's `TagManager`. Tag names must not be blank, contain
/// `/`, or be all digits (they would read as snapshot ids in `VERSION AS OF`).
///
/// Deleting a tag removes only its file: the files it kept alive are removed by the next snapshot expiration or
/// orphan-file clean, which see that no tag refers to them any more.
public struct TagStore: Sendable {
    public let io: any FileIO
    public let paths: TablePaths

    public init(io: any FileIO, paths: TablePaths) {
        self.io = io
        self.paths = paths
    }

    /// Checks a tag name; the error names it.
    public static func validate(name: String) throws(TableError) {
        do {
            _ = try TagManager.tagFileName(name)
        } catch {
            throw TableError(.invalidInput, "tag '\(name)'", error.message)
        }
    }

    /// Creates tag `name` for `snapshot` (create-if-absent: an existing tag is an `alreadyExists` error). With a
    /// retention time the file also records `createTime` (default: now on the local clock) and the retention,
    /// as Java does; without one it is the plain snapshot JSON (readable by the oldest readers).
    @discardableResult
    public func create(name: String, snapshot: Snapshot, timeRetained: Duration? = nil,
                       createTime: LocalDateTime? = nil) async throws(TableError) -> TableTag {
        try Self.validate(name: name)
        if let timeRetained, timeRetained < .zero {
            throw TableError(.invalidInput, "tag '\(name)'", "the retention time must not be negative")
        }
        let tag = TableTag(name: name, snapshot: snapshot,
                           createTime: timeRetained == nil ? nil : (createTime ?? LocalDateTime.now()), timeRetained: timeRetained)
        let path = try paths.tag(name)
        guard try await MetaIO.write(io, path, Array(tag.toJson().utf8), overwrite: false) else {
            throw TableError(.alreadyExists, "tag '\(name)'", "the tag already exists")
        }
        return tag
    }

    /// Tag `name`, nil when it does not exist.
    public func tag(_ name: String) async throws(TableError) -> TableTag? {
        let path = try paths.tag(name)
        guard let bytes = try await MetaIO.readIfExists(io, path, bytesMax: Snapshot.jsonBytesMax) else { return nil }
        return try TableTag(name: name, parsing: bytes, subject: path.description)
    }

    /// Every tag with details, ordered by snapshot id, then name. A tag deleted while listing is skipped.
    public func tags() async throws(TableError) -> [TableTag] {
        let names = try await MetaIO.listFiles(io, paths.tagDirectory)
            .compactMap { TagManager.parseTagFileName(String($0.path.name)) }
        var out: [TableTag] = []
        for name in names {
            // Files named tag-<digits> or with '/' are not tags Java would make; skip rather than fail.
            guard (try? paths.tag(name)) != nil else { continue }
            if let tag = try await tag(name) { out.append(tag) }
        }
        return out.sorted { ($0.snapshot.id, $0.name) < ($1.snapshot.id, $1.name) }
    }

    /// Every tag as (name, snapshot), ordered by snapshot id, then name.
    public func list() async throws(TableError) -> [(name: String, snapshot: Snapshot)] {
        try await tags().map { ($0.name, $0.snapshot) }
    }

    /// The distinct tagged snapshots, ascending by id (Java's `taggedSnapshots`).
    public func taggedSnapshots() async throws(TableError) -> [Snapshot] {
        var seen = Set<Int64>()
        return try await tags().map(\.snapshot).filter { seen.insert($0.id).inserted }
    }

    /// Deletes tag `name`'s file (nothing else); false when there was no such tag.
    @discardableResult
    public func delete(_ name: String) async throws(TableError) -> Bool {
        try await MetaIO.delete(io, try paths.tag(name))
    }
}
