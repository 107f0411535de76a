import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

/// Helpers for the merge-function tests: schemas, records, running a merge round, and a seeded generator.
enum MergeTest {
    static func schema(_ columns: [(String, DataType)], keys: [String] = ["k"], options: [String: String]) throws -> TableSchema {
        try TableSchema.create(columns: columns.map { TableSchema.Column($0.0, $0.1) }, primaryKeys: keys, options: options, timeMillis: 0)
    }

    static func factory(_ columns: [(String, DataType)], keys: [String] = ["k"], options: [String: String]) throws -> MergeFunctionFactory {
        try MergeFunctionFactory(schema: schema(columns, keys: keys, options: options))
    }

    /// The `.invalidTable`/… error a factory throws, nil when it builds.
    static func factoryError(_ columns: [(String, DataType)], keys: [String] = ["k"], options: [String: String]) throws -> TableError? {
        let schema = try schema(columns, keys: keys, options: options)
        do throws(TableError) {
            _ = try MergeFunctionFactory(schema: schema)
            return nil
        } catch {
            return error
        }
    }

    /// Resets `function`, adds `records` and returns the result.
    static func merge(_ function: inout any MergeFunction, _ records: [KeyValue]) throws(TableError) -> KeyValue? {
        function.reset()
        for record in records { try function.add(record) }
        return try function.result()
    }

    static func merge(_ factory: MergeFunctionFactory, _ records: [KeyValue]) throws(TableError) -> KeyValue? {
        var function = factory.make()
        return try merge(&function, records)
    }

    /// The error merging `records` throws, nil when it succeeds.
    static func mergeError(_ factory: MergeFunctionFactory, _ records: [KeyValue]) -> TableError? {
        do throws(TableError) {
            _ = try merge(factory, records)
            return nil
        } catch {
            return error
        }
    }

    static let int = DataType(.int)
    static let bigint = DataType(.bigint)
    static let double = DataType(.double)
    static let string = DataType.string
    static let boolean = DataType(.boolean)
}

func kv(_ sequence: Int64, _ kind: RowKind = .insert, _ values: Value..., level: Int32 = 0) -> KeyValue {
    KeyValue(sequenceNumber: sequence, kind: kind, value: values, level: level)
}

func int(_ x: Int64) -> Value { .integer(x) }
func str(_ s: String) -> Value { .string(s) }
func dec(_ unscaled: Int128, _ scale: Int) -> Value { .decimal(unscaled: unscaled, scale: scale) }

