import Foundation

/// Who created and last changed a catalog object, and when (Gravitino's `AuditDTO`). Times are kept to the
/// millisecond, which is what both stores hold.
public struct AuditInfo: Sendable, Hashable {
    public var creator: String
    public var createTime: Date
    public var lastModifier: String
    public var lastModifiedTime: Date

    public init(creator: String, createTime: Date, lastModifier: String, lastModifiedTime: Date) {
        self.creator = creator
        self.createTime = createTime
        self.lastModifier = lastModifier
        self.lastModifiedTime = lastModifiedTime
    }

    /// A new object's audit: created and last modified by `user` at `now`.
    public static func created(by user: String, at now: Date) -> AuditInfo {
        let now = now.truncatedToMilliseconds
        return AuditInfo(creator: user, createTime: now, lastModifier: user, lastModifiedTime: now)
    }

    /// This audit after `user` changed the object at `now`.
    public func modified(by user: String, at now: Date) -> AuditInfo {
        AuditInfo(creator: creator, createTime: createTime, lastModifier: user, lastModifiedTime: now.truncatedToMilliseconds)
    }
}

extension Date {
    /// Milliseconds since 1970, as both stores keep times.
    public var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    /// This date with the sub-millisecond part dropped.
    public var truncatedToMilliseconds: Date { Date(millisecondsSince1970: millisecondsSince1970) }

    public init(millisecondsSince1970 ms: Int64) {
        self.init(timeIntervalSince1970: Double(ms) / 1000)
    }
}

/// Who is acting, for audit fields: the authenticated user, or `anonymous` (spec/gravitino-api.md section 3).
public struct Caller: Sendable, Hashable {
    public var user: String
    public init(_ user: String) { self.user = user }
    public static let anonymous = Caller("anonymous")
}
