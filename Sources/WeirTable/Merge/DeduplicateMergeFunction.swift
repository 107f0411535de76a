/// The `deduplicate` engine, mirroring `DeduplicateMergeFunction`: the result is the last record in merge order,
/// unchanged, whatever its kind (a `-U`/`-D` result deletes the key). With `ignore-delete` retracts are skipped,
/// because writers before Paimon 0.7 could store them anyway; a key with only skipped records has no result.
public struct DeduplicateMergeFunction: MergeFunction {
    public let ignoresDelete: Bool
    private var latest: KeyValue?

    public init(ignoreDelete: Bool) {
        self.ignoresDelete = ignoreDelete
    }

    public mutating func reset() { latest = nil }

    public mutating func add(_ record: KeyValue) throws(TableError) {
        if ignoresDelete && record.kind.isRetract { return }
        latest = record
    }

    public func result() throws(TableError) -> KeyValue? { latest }
}
