import WeirColumnar
import WeirPaimon

/// Makes a column's ``FieldAggregator`` from a function name, mirroring `FieldAggregatorFactory.create` and the
/// factories in `mc/aggregate/factory/`: look the name up, check `fields.<f>.ignore-retract` against
/// `aggregation.remove-record-on-delete`, check the column type, read the function's `fields.<f>.*` options.
///
/// Errors: an unknown name is `.invalidTable` naming the field and the function; the sketch and bitmap functions
/// (`hll_sketch`, `theta_sketch`, `rbm32`, `rbm64`) are `.unsupported`; a type the function does not take or a
/// bad function option is `.invalidTable` naming the field.
enum FieldAggregatorFactory {
    /// Functions Paimon has that Weir does not implement yet.
    static let unsupportedNames: Set<String> = ["hll_sketch", "theta_sketch", "rbm32", "rbm64"]

    static func make(name: String, field: String, type: DataType, options: CoreOptions) throws(TableError) -> FieldAggregator {
        let subject = MergeOptions.fieldSubject(field)
        func invalid(_ message: String) -> TableError { TableError(.invalidTable, subject, message) }
        guard knownNames.contains(name) else {
            if unsupportedNames.contains(name) {
                throw TableError(.unsupported, subject, "aggregate function '\(name)' is not supported yet; sketch and bitmap functions come later")
            }
            throw invalid("Use unsupported aggregation: \(name) or spell aggregate function incorrectly!")
        }
        let removeRecordOnDelete = try MergeOptions.read { () throws(PaimonFormatError) in try options.aggregationRemoveRecordOnDelete() }
        let ignoreRetract = try MergeOptions.read { () throws(PaimonFormatError) in try options.fieldAggIgnoreRetract(field) }
        guard !(removeRecordOnDelete && ignoreRetract) else {
            throw invalid("\(CoreOptions.aggregationRemoveRecordOnDelete.key) and \(MergeOptions.fieldKey(field, "ignore-retract")) "
                + "have conflicting behavior so should not be enabled at the same time.")
        }
        let function = try self.function(name: name, field: field, type: type, options: options)
        return FieldAggregator(name: name, field: field, type: type, function: function, ignoresRetract: ignoreRetract)
    }

    static let knownNames: Set<String> = [
        "primary-key", "sum", "product", "max", "min", "last_value", "last_non_null_value", "first_value",
        "first_non_null_value", "first_not_null_value", "listagg", "bool_and", "bool_or", "collect", "merge_map",
        "merge_map_with_keytime", "nested_update", "nested_partial_update",
    ]

    private static func function(name: String, field: String, type: DataType, options: CoreOptions) throws(TableError) -> FieldAggregator.Function {
        let subject = MergeOptions.fieldSubject(field)
        func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(TableError) {
            if !condition { throw TableError(.invalidTable, subject, message()) }
        }
        switch name {
        case "primary-key": return .primaryKey
        case "last_value": return .lastValue
        case "last_non_null_value": return .lastNonNullValue
        case "first_value": return .firstValue
        case "first_non_null_value", "first_not_null_value": return .firstNonNullValue
        case "sum", "product":
            guard let numeric = NumericAggregation(type: type, field: field) else {
                throw TableError(.invalidTable, subject, "Data type for \(name) column must be 'NumericType' but was '\(type)'.")
            }
            return name == "sum" ? .sum(numeric) : .product(numeric)
        case "max", "min":
            try require(ValueComparison.isComparable(type), "Data type for \(name) column '\(field)' must be comparable but was '\(type)'.")
            return name == "max" ? .max : .min
        case "bool_and", "bool_or":
            try require(type.kind == .boolean, "Data type for \(name == "bool_and" ? "bool and" : "bool or") column must be 'BooleanType' but was '\(type)'.")
            return name == "bool_and" ? .boolAnd : .boolOr
        case "listagg":
            try require(type.kind == .varchar(length: DataType.lengthMax),
                        "Data type for list agg column must be STRING (unbounded VARCHAR), but was '\(type)'.")
            let distinct = try MergeOptions.read { () throws(PaimonFormatError) in try options.fieldCollectAggDistinct(field) }
            return .listagg(Listagg(delimiter: options.fieldListAggDelimiter(field), distinct: distinct))
        case "collect":
            guard case .array = type.kind else {
                throw TableError(.invalidTable, subject, "Data type for collect column must be 'Array' but was '\(type)'.")
            }
            return .collect(distinct: try MergeOptions.read { () throws(PaimonFormatError) in try options.fieldCollectAggDistinct(field) })
        case "merge_map":
            guard case .map = type.kind else {
                throw TableError(.invalidTable, subject, "Data type for merge map column must be 'MAP' but was '\(type)'")
            }
            return .mergeMap
        case "merge_map_with_keytime":
            return .mergeMapWithKeyTime(timestampIndex: try timestampIndex(field: field, type: type, options: options))
        case "nested_update":
            return .nestedUpdate(try nestedUpdate(field: field, type: type, options: options))
        case "nested_partial_update":
            let (rowFields, keys) = try nestedShape(field: field, type: type, options: options)
            try require(!keys.isEmpty, "nested_partial_update needs '\(MergeOptions.fieldKey(field, "nested-key"))'")
            return .nestedPartialUpdate(NestedPartialUpdate(
                keyIndexes: try indexes(keys, in: rowFields, field: field, option: "nested-key"),
                nullStrategy: try MergeOptions.nestedKeyNullStrategy(options, field), nestedFieldCount: rowFields.count))
        default:
            preconditionFailure("aggregate function '\(name)' is in knownNames but not made")
        }
    }

    /// `FieldMergeMapWithKeyTimeAggFactory`: `MAP<K, ROW<…>>` with at least two row fields; the timestamp is
    /// `fields.<f>.ts-field` or the last row field, and must be a CHAR/VARCHAR (Java reads it with `getString`).
    private static func timestampIndex(field: String, type: DataType, options: CoreOptions) throws(TableError) -> Int {
        let subject = MergeOptions.fieldSubject(field)
        guard case .map(_, let valueType) = type.kind else {
            throw TableError(.invalidTable, subject, "Data type for field '\(field)' must be 'MAP' but was '\(type)'")
        }
        guard case .row(let rowFields) = valueType.kind else {
            throw TableError(.invalidTable, subject, "Value type of MAP for field '\(field)' must be ROW but was '\(valueType)'")
        }
        guard rowFields.count >= 2 else {
            throw TableError(.invalidTable, subject, "ROW type for field '\(field)' must have at least 2 fields, but found \(rowFields.count)")
        }
        var index = rowFields.count - 1
        if let name = MergeOptions.fieldOption(options, field, "ts-field") {
            guard let found = rowFields.firstIndex(where: { $0.name == name }) else {
                throw TableError(.invalidTable, subject,
                                 "Timestamp field '\(name)' not found in ROW type for field '\(field)'. Available fields: \(rowFields.map(\.name))")
            }
            index = found
        }
        guard rowFields[index].type.isCharacterString else {
            throw TableError(.invalidTable, subject,
                             "Timestamp field '\(rowFields[index].name)' of field '\(field)' must be a CHAR or VARCHAR but was '\(rowFields[index].type)'")
        }
        return index
    }

    /// `FieldNestedUpdateAggFactory` with its option dependencies.
    private static func nestedUpdate(field: String, type: DataType, options: CoreOptions) throws(TableError) -> NestedUpdate {
        let subject = MergeOptions.fieldSubject(field)
        let (rowFields, keys) = try nestedShape(field: field, type: type, options: options)
        let strategyKey = MergeOptions.fieldKey(field, "nested-key-null-strategy")
        guard options.options[strategyKey] == nil || !keys.isEmpty else {
            throw TableError(.invalidTable, subject,
                             "Option 'fields.<field-name>.nested-key-null-strategy' requires 'fields.<field-name>.nested-key' to be configured.")
        }
        let sequence = MergeOptions.list(MergeOptions.fieldOption(options, field, "nested-sequence-field"))
        guard sequence.isEmpty || !keys.isEmpty else {
            throw TableError(.invalidTable, subject,
                             "Option 'fields.<field-name>.nested-sequence-field' requires 'fields.<field-name>.nested-key' to be configured.")
        }
        let sequenceIndexes = try indexes(sequence, in: rowFields, field: field, option: "nested-sequence-field")
        for i in sequenceIndexes where !ValueComparison.isComparable(rowFields[i].type) {
            throw TableError(.invalidTable, subject, "nested sequence field '\(rowFields[i].name)' of type \(rowFields[i].type) cannot be ordered")
        }
        return NestedUpdate(
            keyIndexes: try indexes(keys, in: rowFields, field: field, option: "nested-key"),
            nullStrategy: try MergeOptions.nestedKeyNullStrategy(options, field),
            sequenceIndexes: sequenceIndexes, sequenceTypes: sequenceIndexes.map { rowFields[$0].type },
            countLimit: try MergeOptions.countLimit(options, field), nestedFieldCount: rowFields.count)
    }

    /// The element row fields of an `ARRAY<ROW>` column and its `fields.<f>.nested-key` list.
    private static func nestedShape(field: String, type: DataType, options: CoreOptions) throws(TableError) -> ([DataField], [String]) {
        guard case .array(let element) = type.kind, case .row(let rowFields) = element.kind else {
            throw TableError(.invalidTable, MergeOptions.fieldSubject(field),
                             "Data type for nested table column must be 'Array<Row>' but was '\(type)'.")
        }
        return (rowFields, MergeOptions.list(MergeOptions.fieldOption(options, field, "nested-key")))
    }

    private static func indexes(_ names: [String], in rowFields: [DataField], field: String, option: String) throws(TableError) -> [Int] {
        var out: [Int] = []
        for name in names {
            guard let index = rowFields.firstIndex(where: { $0.name == name }) else {
                throw TableError(.invalidTable, MergeOptions.fieldSubject(field),
                                 "'\(MergeOptions.fieldKey(field, option))' names '\(name)', which is not a field of \(rowFields.map(\.name))")
            }
            out.append(index)
        }
        return out
    }
}
