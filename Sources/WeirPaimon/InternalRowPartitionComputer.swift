import WeirColumnar

/// Partition values to directory names and back, mirroring `org.apache.paimon.utils.InternalRowPartitionComputer`
/// (spec/paimon-format.md section 1.3).
///
/// Value text with `partition.legacy-name = true` (the default): Java's `toString()` of the internal value —
/// strings as is, integers in decimal, BOOLEAN `true`/`false`, DATE as the day number (`19723`), TIME as millis of
/// the day, TIMESTAMP as `LocalDateTime#toString` (`2024-01-01T01:02:03.456`), DECIMAL as `toPlainString`,
/// FLOAT/DOUBLE as Java's `Float/Double.toString`. BINARY/VARBINARY have no stable legacy text (Java prints an
/// object address) and are an error. With `legacy-name = false`, Paimon's cast to STRING: DATE `yyyy-MM-dd`,
/// TIME `HH:mm:ss[.f]`, TIMESTAMP `yyyy-MM-dd HH:mm:ss[.f]` (TIMESTAMP_LTZ in UTC here; Java uses the JVM's zone),
/// BINARY as UTF-8 text. Null, empty and white-space-only texts become the default partition name.
public struct InternalRowPartitionComputer: Sendable {
    public let partitionType: RowType
    public let defaultPartValue: String
    public let legacyPartitionName: Bool

    public init(partitionType: RowType, defaultPartValue: String = "__DEFAULT_PARTITION__", legacyPartitionName: Bool = true) {
        self.partitionType = partitionType
        self.defaultPartValue = defaultPartValue
        self.legacyPartitionName = legacyPartitionName
    }

    /// The computer for `schema`'s partition keys and options.
    public init(schema: TableSchema) throws(PaimonFormatError) {
        let options = schema.coreOptions
        self.init(
            partitionType: schema.logicalPartitionType, defaultPartValue: options.partitionDefaultName(),
            legacyPartitionName: try options.legacyPartitionName())
    }

    /// `generatePartValues`: (key, text) per partition field.
    public func generatePartValues(_ values: [Value]) throws(PaimonFormatError) -> [(key: String, value: String)] {
        guard values.count == partitionType.fields.count else {
            throw PaimonFormatError("partition", "\(values.count) values for \(partitionType.fields.count) partition keys")
        }
        var out: [(key: String, value: String)] = []
        for (field, value) in zip(partitionType.fields, values) {
            var text = try valueText(value, type: field.type, field: field.name)
            if text == nil || Self.isNullOrWhitespaceOnly(text!) { text = defaultPartValue }
            out.append((field.name, text!))
        }
        return out
    }

    /// The partition values of a partition BinaryRow (e.g. a manifest's `_PARTITION`).
    public func generatePartValues(_ row: BinaryRow) throws(PaimonFormatError) -> [(key: String, value: String)] {
        try generatePartValues(try row.values(types: partitionType.fields.map(\.type), subject: "partition"))
    }

    /// The relative partition directory, `k1=v1/k2=v2/` (empty for unpartitioned tables).
    public func partitionPath(_ values: [Value]) throws(PaimonFormatError) -> String {
        try PartitionPathUtils.generatePartitionPath(try generatePartValues(values))
    }

    public func partitionPath(_ row: BinaryRow) throws(PaimonFormatError) -> String {
        try PartitionPathUtils.generatePartitionPath(try generatePartValues(row))
    }

    /// Java's `StringUtils.isNullOrWhitespaceOnly` (`Character.isWhitespace`, which excludes no-break spaces).
    static func isNullOrWhitespaceOnly(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { scalar in
            if [0x00A0, 0x2007, 0x202F].contains(scalar.value) { return false }
            return scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
        }
    }

    func valueText(_ value: Value, type: DataType, field: String) throws(PaimonFormatError) -> String? {
        func mismatch() -> PaimonFormatError { PaimonFormatError("partition", "\(field): \(value) is not a value of \(type)") }
        switch (type.kind, value) {
        case (_, .null): return nil
        case (.char, .string(let s)), (.varchar, .string(let s)): return s
        case (.boolean, .boolean(let b)): return b ? "true" : "false"
        case (.tinyint, .integer(let x)), (.smallint, .integer(let x)), (.int, .integer(let x)), (.bigint, .integer(let x)):
            return String(x)
        case (.float, .float(let f)): return JavaTextFormats.floatString(f)
        case (.double, .double(let d)): return JavaTextFormats.doubleString(d)
        case (.decimal(_, let scale), .decimal(let unscaled, let valueScale)):
            guard valueScale == scale else {
                guard let v = BinarySection.rescale(unscaled, from: valueScale, to: scale, precision: 38) else { throw mismatch() }
                return JavaTextFormats.plainDecimalString(unscaled: v, scale: scale)
            }
            return JavaTextFormats.plainDecimalString(unscaled: unscaled, scale: scale)
        case (.date, .date(let days)):
            return legacyPartitionName ? String(days) : JavaTextFormats.sqlDateString(days: Int64(days))
        case (.time(let precision), .time(let millis)):
            return legacyPartitionName ? String(millis) : JavaTextFormats.sqlTimeString(millisOfDay: millis, precision: precision)
        case (.timestamp(let precision), .timestamp(let v)), (.timestampLTZ(let precision), .timestamp(let v)):
            let (millis, nano) = BinarySection.timestampParts(v, precision: precision)
            return legacyPartitionName
                ? JavaTextFormats.localDateTimeString(epochMillis: millis, nanoOfMillisecond: nano)
                : JavaTextFormats.sqlTimestampString(epochMillis: millis, nanoOfMillisecond: nano, precision: precision)
        case (.binary, .bytes(let b)), (.varbinary, .bytes(let b)):
            guard !legacyPartitionName else {
                throw PaimonFormatError("partition", "\(field): a BINARY partition value has no stable directory name with partition.legacy-name = true")
            }
            return String(decoding: b, as: UTF8.self)
        default:
            throw mismatch()
        }
    }

    /// `convertSpecToInternal`: the values of a partition spec read from a path (the default name reads as null).
    /// Accepts what either naming mode writes: DATE as a day number or `yyyy-MM-dd`, TIME as millis or
    /// `HH:mm:ss[.f]`, TIMESTAMP as `yyyy-MM-ddTHH:mm[:ss[.f]]` or with a space; keys must match the partition type.
    public func convertSpecToInternal(_ spec: [(key: String, value: String)]) throws(PaimonFormatError) -> [Value] {
        guard spec.count == partitionType.fields.count else {
            throw PaimonFormatError("partition spec", "\(spec.count) entries for \(partitionType.fields.count) partition keys")
        }
        var out = [Value](repeating: .null, count: spec.count)
        var seen = Set<String>()
        for (key, text) in spec {
            guard let index = partitionType.index(of: key), seen.insert(key).inserted else {
                throw PaimonFormatError("partition spec", "'\(key)' is not a partition key (or appears twice)")
            }
            if text == defaultPartValue { continue }
            out[index] = try Self.castFromString(text, type: partitionType.fields[index].type, field: key)
        }
        return out
    }

    /// The value of `text` as `type` (`TypeUtils.castFromString` for the atomic types).
    public static func castFromString(_ text: String, type: DataType, field: String) throws(PaimonFormatError) -> Value {
        func bad() -> PaimonFormatError { PaimonFormatError("partition spec", "\(field): '\(text.prefix(64))' is not a \(type)") }
        let trimmed = TimeUtils.javaTrim(text)
        switch type.kind {
        case .char, .varchar: return .string(text)
        case .binary, .varbinary: return .bytes(Array(text.utf8))
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "t", "yes", "y", "1": return .boolean(true)
            case "false", "f", "no", "n", "0": return .boolean(false)
            default: throw bad()
            }
        case .tinyint, .smallint, .int, .bigint:
            guard let x = Int64(trimmed) else { throw bad() }
            let fits: Bool
            switch type.kind {
            case .tinyint: fits = Int8(exactly: x) != nil
            case .smallint: fits = Int16(exactly: x) != nil
            case .int: fits = Int32(exactly: x) != nil
            default: fits = true
            }
            guard fits else { throw bad() }
            return .integer(x)
        case .float:
            guard trimmed.utf8.count <= 64, let f = Float(trimmed) else { throw bad() }
            return .float(f)
        case .double:
            guard trimmed.utf8.count <= 64, let d = Double(trimmed) else { throw bad() }
            return .double(d)
        case .decimal(let precision, let scale):
            guard trimmed.utf8.count <= 128, let v = JavaTextFormats.parseDecimal(trimmed, precision: precision, scale: scale) else { throw bad() }
            return .decimal(unscaled: v, scale: scale)
        case .date:
            if let days = Int32(trimmed) { return .date(days: days) }
            guard let days = JavaTextFormats.parseDate(trimmed[...]), let narrow = Int32(exactly: days) else { throw bad() }
            return .date(days: narrow)
        case .time:
            if let millis = Int32(trimmed), (0..<86_400_000).contains(millis) { return .time(millis: millis) }
            guard let nanos = JavaTextFormats.parseTimeOfDay(trimmed[...]) else { throw bad() }
            return .time(millis: Int32(nanos / 1_000_000))
        case .timestamp(let precision), .timestampLTZ(let precision):
            guard let parts = JavaTextFormats.parseLocalDateTime(trimmed),
                  let v = BinarySection.timestampValue(millis: parts.millis, nanoOfMilli: parts.nanoOfMilli, precision: precision) else { throw bad() }
            return .timestamp(v)
        default:
            throw PaimonFormatError("partition spec", "\(field): \(type) cannot be a partition key")
        }
    }
}
