import WeirColumnar

/// One column's aggregation, mirroring Paimon's `FieldAggregator` subclasses (`mc/aggregate/Field*Agg.java`) and
/// the `FieldIgnoreRetractAgg` wrapper (``ignoresRetract``). A value type: the function is an enum, so merging
/// a record dispatches with a switch, not through an existential.
///
/// Contract, per function (``Function``): `agg(acc, in)` folds one input into the accumulator, `aggReversed`
/// folds an input that is older than the accumulator (partial-update sequence groups), `retract(acc, in)` undoes
/// an input for `-U`/`-D` records or throws `.invalidInput` for functions without retraction. An accumulator
/// that is itself an earlier result is always a valid `acc`. `reset()` starts a merge round (it clears
/// `first_value`'s and `first_non_null_value`'s per-round flag).
struct FieldAggregator: Sendable {
    /// The functions of spec section 2.3 (Java factory `NAME` constants in parentheses).
    enum Function: Sendable {
        /// (`primary-key`) the input, for agg and retract.
        case primaryKey
        /// (`sum`) null-skipping, overflow-checked addition; retract subtracts.
        case sum(NumericAggregation)
        /// (`product`) null-skipping, overflow-checked multiplication; retract divides.
        case product(NumericAggregation)
        /// (`max`, `min`) null-skipping comparison with ``ValueComparison``.
        case max, min
        /// (`last_value`) the input, even null; retract gives null.
        case lastValue
        /// (`last_non_null_value`) the input unless null; retract of a non-null value gives null.
        case lastNonNullValue
        /// (`first_value`) the first input of the round, even null.
        case firstValue
        /// (`first_non_null_value`, legacy `first_not_null_value`) the first non-null input of the round.
        case firstNonNullValue
        /// (`listagg`) string concatenation.
        case listagg(Listagg)
        /// (`bool_and`, `bool_or`) null-skipping AND / OR.
        case boolAnd, boolOr
        /// (`collect`) array concatenation, optionally distinct; retract removes elements.
        case collect(distinct: Bool)
        /// (`merge_map`) key-wise overwrite; retract removes the retracted keys.
        case mergeMap
        /// (`merge_map_with_keytime`) per key, the entry with the newest timestamp string.
        case mergeMapWithKeyTime(timestampIndex: Int)
        /// (`nested_update`) a nested table of rows, upserted by nested key.
        case nestedUpdate(NestedUpdate)
        /// (`nested_partial_update`) a nested table whose rows are partially updated by nested key.
        case nestedPartialUpdate(NestedPartialUpdate)
    }

    /// The function's identifier as configured (Java's `FieldAggregator.name`), used in messages.
    let name: String
    let field: String
    let type: DataType
    let function: Function
    /// `fields.<field>.ignore-retract`: retract returns the accumulator unchanged.
    let ignoresRetract: Bool
    /// The per-round flag of `first_value` and `first_non_null_value`.
    private var initialized = false

    init(name: String, field: String, type: DataType, function: Function, ignoresRetract: Bool) {
        self.name = name
        self.field = field
        self.type = type
        self.function = function
        self.ignoresRetract = ignoresRetract
    }

    mutating func reset() { initialized = false }

    /// True when `retract` does not throw.
    var supportsRetract: Bool {
        if ignoresRetract { return true }
        switch function {
        case .primaryKey, .sum, .product, .lastValue, .lastNonNullValue, .collect, .mergeMap, .nestedUpdate: return true
        default: return false
        }
    }

    mutating func agg(_ acc: Value, _ input: Value) throws(TableError) -> Value {
        switch function {
        case .primaryKey, .lastValue:
            return input
        case .lastNonNullValue:
            return input == .null ? acc : input
        case .firstValue:
            if initialized { return acc }
            initialized = true
            return input
        case .firstNonNullValue:
            if initialized || input == .null { return acc }
            initialized = true
            return input
        case .sum(let numeric):
            if acc == .null || input == .null { return acc == .null ? input : acc }
            return try numeric.add(acc, input)
        case .product(let numeric):
            if acc == .null || input == .null { return acc == .null ? input : acc }
            return try numeric.multiply(acc, input)
        case .max, .min:
            if acc == .null || input == .null { return acc == .null ? input : acc }
            try expectComparable(acc)
            try expectComparable(input)
            let accIsSmaller = ValueComparison.compare(acc, input, type: type) < 0
            if case .max = function { return accIsSmaller ? input : acc }
            return accIsSmaller ? acc : input
        case .boolAnd, .boolOr:
            if acc == .null || input == .null { return acc == .null ? input : acc }
            guard case .boolean(let a) = acc else { throw mismatch(acc) }
            guard case .boolean(let b) = input else { throw mismatch(input) }
            if case .boolAnd = function { return .boolean(a && b) }
            return .boolean(a || b)
        case .listagg(let listagg):
            return try listagg.agg(acc, input, self)
        case .collect(let distinct):
            return try CollectAggregation.agg(acc, input, distinct: distinct, self)
        case .mergeMap:
            return try MergeMapAggregation.agg(acc, input, self)
        case .mergeMapWithKeyTime(let timestampIndex):
            return try MergeMapAggregation.aggWithKeyTime(acc, input, timestampIndex: timestampIndex, self)
        case .nestedUpdate(let nested):
            return try nested.agg(acc, input, self)
        case .nestedPartialUpdate(let nested):
            return try nested.agg(acc, input, self)
        }
    }

    /// Folds an input that is older than the accumulator: `agg(in, acc)`, except a plain `collect`, which appends
    /// as usual (`FieldCollectAgg.aggReversed`; Java's ignore-retract wrapper does not forward that override).
    mutating func aggReversed(_ acc: Value, _ input: Value) throws(TableError) -> Value {
        if case .collect = function, !ignoresRetract { return try agg(acc, input) }
        return try agg(input, acc)
    }

    func retract(_ acc: Value, _ input: Value) throws(TableError) -> Value {
        if ignoresRetract { return acc }
        switch function {
        case .primaryKey:
            return input
        case .lastValue:
            return .null
        case .lastNonNullValue:
            return input != .null ? .null : acc
        case .sum(let numeric):
            if acc == .null || input == .null { return acc == .null ? try numeric.negate(input) : acc }
            return try numeric.subtract(acc, input)
        case .product(let numeric):
            if acc == .null || input == .null { return acc }
            return try numeric.divide(acc, input)
        case .collect:
            return try CollectAggregation.retract(acc, input, self)
        case .mergeMap:
            return try MergeMapAggregation.retract(acc, input, self)
        case .nestedUpdate(let nested):
            return try nested.retract(acc, input, self)
        default:
            throw TableError(
                .invalidInput, MergeOptions.fieldSubject(field),
                "Aggregate function '\(name)' does not support retraction, If you allow this function to ignore retraction "
                    + "messages, you can configure 'fields.\(field).ignore-retract'='true'.")
        }
    }

    // MARK: value checks

    /// The error for a value that is not of the field's type.
    func mismatch(_ value: Value) -> TableError {
        TableError(.invalidInput, MergeOptions.fieldSubject(field), "\(value) is not a value of type \(type) (aggregate function '\(name)')")
    }

    private func expectComparable(_ value: Value) throws(TableError) {
        switch value {
        case .list, .map, .row: throw mismatch(value)
        default: break
        }
    }
}
