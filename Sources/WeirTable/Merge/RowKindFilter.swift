import WeirPaimon

/// The write-time row-kind filter, mirroring `org.apache.paimon.utils.RowKindFilter`: `ignore-delete` drops
/// `-U` and `-D`, `ignore-update-before` drops only `-U`; `+I` and `+U` always pass.
public struct RowKindFilter: Sendable {
    public let ignoresAllRetracts: Bool
    public let ignoresUpdateBefore: Bool

    /// Reads `ignore-delete` (with its fallback keys) and `ignore-update-before`; a bad boolean is an
    /// `.invalidTable` error.
    public init(options: CoreOptions) throws(TableError) {
        ignoresAllRetracts = try MergeOptions.read { () throws(PaimonFormatError) in try options.ignoreDelete() }
        ignoresUpdateBefore = try MergeOptions.read { () throws(PaimonFormatError) in try options.ignoreUpdateBefore() }
    }

    /// True when a record of this kind is written.
    public func keeps(_ kind: RowKind) -> Bool {
        switch kind {
        case .insert, .updateAfter: return true
        case .updateBefore: return !(ignoresAllRetracts || ignoresUpdateBefore)
        case .delete: return !ignoresAllRetracts
        }
    }
}
