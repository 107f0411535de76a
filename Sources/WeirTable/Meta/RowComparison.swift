import WeirColumnar
import WeirPaimon

/// Compares key BinaryRows (`_MIN_KEY`, `_MAX_KEY`) of a primary-key table field by field in the trimmed
/// primary key's types: Java's key comparator.
public struct KeyComparator: Sendable {
    public let keyType: RowType

    public init(keyType: RowType) { self.keyType = keyType }

    /// The comparator of `schema`'s trimmed primary key; nil for append tables.
    public init?(schema: TableSchema) {
        guard !schema.trimmedPrimaryKeys.isEmpty else { return nil }
        self.init(keyType: schema.logicalTrimmedPrimaryKeysType)
    }

    /// The key's field values; errors name `subject`.
    public func values(_ row: BinaryRow, subject: String) throws(TableError) -> [Value] {
        do {
            return try row.values(types: keyType.fields.map(\.type), subject: subject)
        } catch {
            throw TableError(.corrupt, error.subject, error.message)
        }
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b`.
    public func compare(_ a: BinaryRow, _ b: BinaryRow, subject: String = "key") throws(TableError) -> Int {
        compare(values: try values(a, subject: subject), try values(b, subject: subject))
    }

    /// Field-by-field ``ValueComparison`` of two decoded keys (nulls first), then shorter first.
    public func compare(values a: [Value], _ b: [Value]) -> Int {
        for (index, field) in keyType.fields.enumerated() where index < a.count && index < b.count {
            let c = ValueComparison.compare(a[index], b[index], type: field.type)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
    }
}
