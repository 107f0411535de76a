/// The `first-row` engine, mirroring `FirstRowMergeFunction`: the result is the first add record in merge order,
/// unchanged. A retract is an `.invalidInput` error unless `ignore-delete` is set, then it is skipped.
/// ``containsHighLevel`` tells whether a record of the round came from a level above 0 (the changelog wrapper
/// emits `+I` only for keys that did not exist before).
public struct FirstRowMergeFunction: MergeFunction {
    public let ignoresDelete: Bool
    private var first: KeyValue?
    public private(set) var containsHighLevel = false

    public init(ignoreDelete: Bool) {
        self.ignoresDelete = ignoreDelete
    }

    public mutating func reset() {
        first = nil
        containsHighLevel = false
    }

    public mutating func add(_ record: KeyValue) throws(TableError) {
        if record.kind.isRetract {
            if ignoresDelete { return }
            throw TableError(
                .invalidInput, "first-row merge engine",
                "By default, First row merge engine can not accept DELETE/UPDATE_BEFORE records.\n"
                    + "You can config 'ignore-delete' to ignore the DELETE/UPDATE_BEFORE records.")
        }
        if first == nil { first = record }
        if record.level > 0 { containsHighLevel = true }
    }

    public func result() throws(TableError) -> KeyValue? { first }
}
