import WeirColumnar
import WeirPaimon

/// The validated options of a `partial-update` table, as `PartialUpdateMergeFunction.Factory` builds them: the
/// sequence groups, the column aggregators and the delete options.
///
/// Validation (all `.invalidTable`, Java's messages):
/// - every `fields.<seq>[,<seq>…].sequence-group = <f>,…` option names existing fields; a field is in at most one
///   group; no primary-key field is a sequence or protected field; sequence fields are orderable (not composite);
/// - an aggregate function (`fields.<f>.aggregate-function` or `fields.default-aggregate-function`) other than
///   `last_non_null_value` needs the field to be protected by a group ("Must use sequence group for aggregation
///   functions"); sequence fields get no function, primary-key fields pass through;
/// - `partial-update.remove-record-on-delete` conflicts with `ignore-delete` and with sequence groups;
///   `partial-update.remove-record-on-sequence-group` conflicts with `ignore-delete` and must name sequence fields.
struct PartialUpdateConfiguration: Sendable {
    /// One sequence group: the fields that order it (compared left to right, nulls smallest, ascending).
    struct SequenceGroup: Sendable {
        let sequenceFields: [Int]
        let types: [DataType]

        /// Compares the input's sequence with the stored row's.
        func compare(_ input: [Value], _ row: [Value]) -> Int {
            for (i, index) in sequenceFields.enumerated() {
                let c = ValueComparison.compare(input[index], row[index], type: types[i])
                if c != 0 { return c }
            }
            return 0
        }

        /// True when every sequence field of the group is null in `values`.
        func isEmpty(in values: [Value]) -> Bool { sequenceFields.allSatisfy { values[$0] == .null } }
    }

    let fieldCount: Int
    let nullables: [Bool]
    let ignoresDelete: Bool
    let removesRecordOnDelete: Bool
    let groups: [SequenceGroup]
    /// Per field, the group that protects or orders it.
    let groupOfField: [Int?]
    /// Per field, its aggregator (primary-key fields and fields with a function).
    let aggregators: [FieldAggregator?]
    /// Sequence fields named by `partial-update.remove-record-on-sequence-group`.
    let wholeRowDeleteFields: Set<Int>

    init(schema: TableSchema) throws(TableError) {
        let options = schema.coreOptions
        let names = schema.fieldNames
        let primaryKeys = schema.primaryKeys
        func invalid(_ subject: String, _ message: String) -> TableError { TableError(.invalidTable, subject, message) }
        func fieldIndex(_ name: String, _ key: String) throws(TableError) -> Int {
            guard let index = names.firstIndex(of: name) else {
                throw invalid("option '\(key)'", "Field \(name) can not be found in table schema")
            }
            return index
        }

        fieldCount = names.count
        nullables = schema.fields.map(\.type.isNullable)
        ignoresDelete = try MergeOptions.read { () throws(PaimonFormatError) in try options.ignoreDelete() }
        removesRecordOnDelete = try MergeOptions.read { () throws(PaimonFormatError) in try options.partialUpdateRemoveRecordOnDelete() }

        var groups: [SequenceGroup] = []
        var groupOfField = [Int?](repeating: nil, count: names.count)
        var protected = Set<String>()
        var sequenceFieldGroup: [String: Int] = [:]
        let prefix = CoreOptions.fieldsPrefix + ".", suffix = ".sequence-group"
        for key in options.options.keys.sorted() where key.hasPrefix(CoreOptions.fieldsPrefix) && key.hasSuffix("sequence-group") {
            guard key.hasPrefix(prefix), key.hasSuffix(suffix), key.count > prefix.count + suffix.count else {
                throw invalid("option '\(key)'", "Invalid sequence-group option: \(key)")
            }
            let group = groups.count
            let pkError = { (field: String) in
                invalid("option '\(key)'", "The sequence-group '\(key)' contains primary key field '\(field)', which is not allowed. "
                    + "Primary key columns cannot be put in sequence-group.")
            }
            var sequenceFields: [Int] = []
            for name in MergeOptions.list(String(key.dropFirst(prefix.count).dropLast(suffix.count))) {
                let index = try fieldIndex(name, key)
                guard !primaryKeys.contains(name) else { throw pkError(name) }
                guard ValueComparison.isComparable(schema.fields[index].type) else {
                    throw invalid("option '\(key)'", "Field '\(name)' with type \(schema.fields[index].type) cannot be used as a sequence-group ordering field.")
                }
                sequenceFields.append(index)
            }
            for name in MergeOptions.list(options.options[key]) {
                let index = try fieldIndex(name, key)
                guard !primaryKeys.contains(name) else { throw pkError(name) }
                if let other = groupOfField[index], other != group {
                    throw invalid("option '\(key)'", "Field \(name) is defined repeatedly by multiple groups: \(key)")
                }
                groupOfField[index] = group
                protected.insert(name)
            }
            for index in sequenceFields {
                if let other = groupOfField[index], other != group {
                    throw invalid("option '\(key)'", "Field \(names[index]) is defined repeatedly by multiple groups: \(key)")
                }
                groupOfField[index] = group
                sequenceFieldGroup[names[index]] = group
            }
            groups.append(SequenceGroup(sequenceFields: sequenceFields, types: sequenceFields.map { schema.fields[$0].type }))
        }
        self.groups = groups
        self.groupOfField = groupOfField

        // PartialUpdateMergeFunction.getAggFuncName
        var aggregators: [FieldAggregator?] = []
        for field in schema.fields {
            var name: String?
            if sequenceFieldGroup[field.name] != nil {
                name = nil
            } else if primaryKeys.contains(field.name) {
                name = "primary-key"
            } else if let configured = options.fieldAggFunc(field.name) ?? options.fieldsDefaultFunc() {
                guard configured == "last_non_null_value" || protected.contains(field.name) else {
                    throw invalid(MergeOptions.fieldSubject(field.name),
                                  "Must use sequence group for aggregation functions but not found for field \(field.name).")
                }
                name = configured
            }
            aggregators.append(try name.map { (name) throws(TableError) in
                try FieldAggregatorFactory.make(name: name, field: field.name, type: field.type, options: options)
            })
        }
        self.aggregators = aggregators

        let removeOnGroupKey = CoreOptions.partialUpdateRemoveRecordOnSequenceGroup.key
        let removeOnDeleteKey = CoreOptions.partialUpdateRemoveRecordOnDelete.key
        let removeOnGroup = options.raw(CoreOptions.partialUpdateRemoveRecordOnSequenceGroup)
        guard !(removesRecordOnDelete && ignoresDelete) else {
            throw invalid("table options", "ignore-delete and \(removeOnDeleteKey) have conflicting behavior so should not be enabled at the same time.")
        }
        guard !(removeOnGroup != nil && ignoresDelete) else {
            throw invalid("table options", "ignore-delete and \(removeOnGroupKey) have conflicting behavior so should not be enabled at the same time.")
        }
        guard !removesRecordOnDelete || groups.isEmpty else {
            throw invalid("table options", "sequence-group and \(removeOnDeleteKey) have conflicting behavior so should not be enabled at the same time.")
        }
        var wholeRowDeleteFields = Set<Int>()
        if let removeOnGroup {
            // Java's String.split: empty items count, trailing ones are dropped.
            var items = removeOnGroup.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            while items.last == "" { items.removeLast() }
            for name in items {
                guard sequenceFieldGroup[name] != nil, let index = names.firstIndex(of: name) else {
                    throw invalid("option '\(removeOnGroupKey)'",
                                  "field '\(removeOnGroup)' defined in '\(removeOnGroupKey)' option must be part of sequence groups")
                }
                wholeRowDeleteFields.insert(index)
            }
        }
        self.wholeRowDeleteFields = wholeRowDeleteFields
    }

    /// True when `index` is one of the ordering fields of `group`.
    func isSequenceField(_ index: Int, of group: Int) -> Bool { groups[group].sequenceFields.contains(index) }
}
