/// The kind of change a row describes, mirroring `org.apache.paimon.types.RowKind`: the byte stored in a
/// BinaryRow's header (byte 0) and in a data file's `_VALUE_KIND` column (spec/paimon-format.md section 7.1).
public enum RowKind: Int8, Sendable, CaseIterable, CustomStringConvertible {
    /// `+I`
    case insert = 0
    /// `-U`: the row before an update (a retraction).
    case updateBefore = 1
    /// `+U`: the row after an update.
    case updateAfter = 2
    /// `-D`
    case delete = 3

    /// `+I`, `-U`, `+U`, `-D` (`RowKind#shortString`, also the values of a `rowkind.field` column).
    public var shortString: String {
        switch self {
        case .insert: return "+I"
        case .updateBefore: return "-U"
        case .updateAfter: return "+U"
        case .delete: return "-D"
        }
    }

    /// `RowKind.fromShortString`.
    public init?(shortString: String) {
        guard let kind = Self.allCases.first(where: { $0.shortString == shortString }) else { return nil }
        self = kind
    }

    /// `isAdd`: +I and +U.
    public var isAdd: Bool { self == .insert || self == .updateAfter }
    /// `isRetract`: -U and -D.
    public var isRetract: Bool { !isAdd }

    public var description: String { shortString }
}
