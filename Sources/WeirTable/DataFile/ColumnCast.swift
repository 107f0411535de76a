import WeirColumnar

/// Converts a column as a file format decoded it into the column of the table's type: the type a reader of the
/// current schema wants (schema evolution) and the storage ``Column`` prescribes for it. What converts:
///
/// - same storage and value unit: only the type changes (CHAR/VARCHAR/STRING/BINARY/BYTES among each other, TIME of
///   any precision, TIMESTAMP and TIMESTAMP_LTZ of the same unit, MULTISET and ARRAY, nullability);
/// - integers to integers (widening; narrowing only when every value fits: Avro stores TINYINT and SMALLINT as
///   int), integers to FLOAT/DOUBLE/DECIMAL/STRING, FLOAT to DOUBLE and back, DECIMAL to another precision or scale
///   (scale reduced rounding half up; a value that does not fit is an error), BOOLEAN/numbers/DATE to STRING;
/// - TIMESTAMP to another precision's unit (multiplied, or floored when the unit gets coarser), DATE to TIMESTAMP;
/// - ARRAY/MULTISET elements, MAP keys and values recursively, ROW fields by field id, then by name (fields the
///   source lacks read as null), a MAP<T, INT> of counts back into a MULTISET<T>.
///
/// Anything else is an error of kind `.unsupported` naming `context`.
enum ColumnCast {
    static func cast(_ column: Column, to target: DataType, context: String) throws(TableError) -> Column {
        let source = column.type
        if source == target { return column }
        if !target.isNullable, column.nullCount > 0 {
            throw TableError(.corrupt, context, "\(column.nullCount) null values for a NOT NULL \(target) column")
        }
        let validity = column.validity
        func retyped(_ values: ColumnValues) -> Column { Column(type: target, validity: validity, values: values) }
        func unsupported() -> TableError { TableError(.unsupported, context, "cannot read \(source) as \(target)") }

        switch (source.kind, target.kind) {
        // Same storage and unit: the type alone changes.
        case (.boolean, .boolean), (.tinyint, .tinyint), (.smallint, .smallint), (.int, .int), (.bigint, .bigint),
             (.float, .float), (.double, .double), (.date, .date), (.time, .time):
            return retyped(column.values)
        case (.char, .char), (.char, .varchar), (.varchar, .char), (.varchar, .varchar),
             (.binary, .binary), (.binary, .varbinary), (.varbinary, .binary), (.varbinary, .varbinary),
             (.char, .binary), (.char, .varbinary), (.varchar, .binary), (.varchar, .varbinary),
             (.binary, .char), (.binary, .varchar), (.varbinary, .char), (.varbinary, .varchar):
            return retyped(column.values)
        case (.timestamp(let p), .timestamp(let q)), (.timestamp(let p), .timestampLTZ(let q)),
             (.timestampLTZ(let p), .timestamp(let q)), (.timestampLTZ(let p), .timestampLTZ(let q)):
            guard case .int64(let v) = column.values else { throw unsupported() }
            let from = unitDigits(p), to = unitDigits(q)
            if from == to { return retyped(column.values) }
            return retyped(.int64(rescaleTime(v, from: from, to: to)))
        case (.date, .timestamp(let q)), (.date, .timestampLTZ(let q)):
            guard case .int32(let v) = column.values else { throw unsupported() }
            let perDay = Int64(86_400) * pow10(unitDigits(q))
            return retyped(.int64(v.map { Int64($0) * perDay }))

        // Integers.
        case (.tinyint, _), (.smallint, _), (.int, _), (.bigint, _):
            let wide = try integers(column, context: context)
            switch target.kind {
            case .tinyint: return retyped(.int8(try narrow(wide, context: context, target: target)))
            case .smallint: return retyped(.int16(try narrow(wide, context: context, target: target)))
            case .int, .date, .time: return retyped(.int32(try narrow(wide, context: context, target: target)))
            case .bigint: return retyped(.int64(wide))
            case .float: return retyped(.float32(wide.map { Float($0) }))
            case .double: return retyped(.float64(wide.map { Double($0) }))
            case .decimal(let p, let s):
                return retyped(try decimals(wide.map { Int128($0) }, fromScale: 0, precision: p, scale: s, context: context))
            case .char, .varchar:
                var out = ByteStrings()
                for (i, x) in wide.enumerated() {
                    if let validity, !validity[i] { out.append(EmptyCollection()) } else { out.append(String(x).utf8) }
                }
                return retyped(.bytes(out))
            default: throw unsupported()
            }
        case (.float, .double):
            guard case .float32(let v) = column.values else { throw unsupported() }
            return retyped(.float64(v.map { Double($0) }))
        case (.double, .float):
            guard case .float64(let v) = column.values else { throw unsupported() }
            return retyped(.float32(v.map { Float($0) }))
        case (.decimal(_, let s), .decimal(let q, let t)):
            let unscaled: [Int128]
            switch column.values {
            case .int64(let v): unscaled = v.map { Int128($0) }
            case .int128(let v): unscaled = v
            default: throw unsupported()
            }
            return retyped(try decimals(unscaled, fromScale: s, precision: q, scale: t, context: context, validity: validity))
        case (.decimal(_, let s), .double):
            let unscaled: [Double]
            switch column.values {
            case .int64(let v): unscaled = v.map { Double($0) }
            case .int128(let v): unscaled = v.map { Double($0) }
            default: throw unsupported()
            }
            let divisor = Double(pow10(s))
            return retyped(.float64(unscaled.map { $0 / divisor }))
        case (.boolean, .char), (.boolean, .varchar), (.float, .char), (.float, .varchar), (.double, .char),
             (.double, .varchar), (.date, .char), (.date, .varchar):
            var out = ByteStrings()
            for i in 0..<column.count {
                if column.isNull(i) { out.append(EmptyCollection()); continue }
                switch column.value(at: i) {
                case .boolean(let b): out.append((b ? "true" : "false").utf8)
                case .float(let f): out.append("\(f)".utf8)
                case .double(let d): out.append("\(d)".utf8)
                case .date(let days): out.append(dateText(days).utf8)
                default: out.append(EmptyCollection())
                }
            }
            return retyped(.bytes(out))

        // Nested types.
        case (.array(let e), .array(let f)), (.array(let e), .multiset(let f)), (.multiset(let e), .array(let f)),
             (.multiset(let e), .multiset(let f)):
            guard case .list(let offsets, let elements) = column.values else { throw unsupported() }
            _ = e
            return retyped(.list(offsets: offsets, elements: try cast(elements, to: f, context: context + "[]")))
        case (.map(_, _), .map(let kt, let vt)):
            guard case .map(let offsets, let keys, let values) = column.values else { throw unsupported() }
            return retyped(.map(offsets: offsets, keys: try cast(keys, to: kt, context: context + ".key"),
                                values: try cast(values, to: vt, context: context + ".value")))
        case (.map(_, _), .multiset(let element)):
            // Counts back into repeated elements (a Parquet MULTISET reads as MAP<T, INT>).
            guard case .map(let offsets, let keys, let values) = column.values else { throw unsupported() }
            let counts = try integers(values, context: context + ".count")
            var newOffsets = [Int32](repeating: 0, count: offsets.count)
            var sources: [Int32] = []
            var total: Int32 = 0
            for row in 0..<(offsets.count - 1) {
                for entry in Int(offsets[row])..<Int(offsets[row + 1]) {
                    let c = max(0, counts[entry])
                    guard c < Int64(Int32.max) - Int64(total) else {
                        throw TableError(.corrupt, context, "multiset counts overflow")
                    }
                    for _ in 0..<c { sources.append(Int32(entry)) }
                    total += Int32(c)
                }
                newOffsets[row + 1] = total
            }
            let elements = BatchGather.take(keys, rows: sources)
            return retyped(.list(offsets: newOffsets, elements: try cast(elements, to: element, context: context + "[]")))
        case (.row(let from), .row(let to)):
            guard case .row(let children) = column.values else { throw unsupported() }
            var out: [Column] = []
            for field in to {
                let index = from.firstIndex { $0.id == field.id && $0.name == field.name }
                    ?? from.firstIndex { $0.name == field.name }
                if let index {
                    out.append(try cast(children[index], to: field.type, context: context + "." + field.name))
                } else {
                    guard field.type.isNullable else {
                        throw TableError(.corrupt, context, "the nested field \(field.name) is missing and NOT NULL")
                    }
                    out.append(nullColumn(field.type, count: column.count))
                }
            }
            return retyped(.row(out))
        default:
            throw unsupported()
        }
    }

    /// A column of `count` nulls (zero values in NOT NULL children of rows).
    static func nullColumn(_ type: DataType, count: Int) -> Column {
        Column(type: type, validity: type.isNullable ? Bitmap(count: count, value: false) : nil, values: zeroValues(type, count: count))
    }

    static func zeroValues(_ type: DataType, count: Int) -> ColumnValues {
        switch type.kind {
        case .boolean: return .boolean(Bitmap(count: count, value: false))
        case .tinyint: return .int8(Array(repeating: 0, count: count))
        case .smallint: return .int16(Array(repeating: 0, count: count))
        case .int, .date, .time: return .int32(Array(repeating: 0, count: count))
        case .bigint, .timestamp, .timestampLTZ: return .int64(Array(repeating: 0, count: count))
        case .decimal(let p, _): return p <= 18 ? .int64(Array(repeating: 0, count: count)) : .int128(Array(repeating: 0, count: count))
        case .float: return .float32(Array(repeating: 0, count: count))
        case .double: return .float64(Array(repeating: 0, count: count))
        case .char, .varchar, .binary, .varbinary:
            return .bytes(ByteStrings(offsets: Array(repeating: 0, count: count + 1), data: []))
        case .array(let e), .multiset(let e):
            return .list(offsets: Array(repeating: 0, count: count + 1), elements: nullColumn(e, count: 0))
        case .map(let k, let v):
            return .map(offsets: Array(repeating: 0, count: count + 1), keys: nullColumn(k, count: 0), values: nullColumn(v, count: 0))
        case .row(let fields):
            return .row(fields.map { nullColumn($0.type, count: count) })
        }
    }

    /// 3, 6 or 9: the decimal digits of a second the unit of TIMESTAMP(p) has.
    static func unitDigits(_ precision: Int) -> Int { precision <= 3 ? 3 : (precision <= 6 ? 6 : 9) }

    static func pow10(_ n: Int) -> Int64 {
        var v: Int64 = 1
        for _ in 0..<n { v *= 10 }
        return v
    }

    static func rescaleTime(_ values: [Int64], from: Int, to: Int) -> [Int64] {
        if to > from {
            let f = pow10(to - from)
            return values.map { $0.multipliedReportingOverflow(by: f).overflow ? ($0 < 0 ? Int64.min : Int64.max) : $0 * f }
        }
        let f = pow10(from - to)
        return values.map { x in
            let q = x / f
            return (x % f != 0 && x < 0) ? q - 1 : q
        }
    }

    static func integers(_ column: Column, context: String) throws(TableError) -> [Int64] {
        switch column.values {
        case .int8(let v): return v.map { Int64($0) }
        case .int16(let v): return v.map { Int64($0) }
        case .int32(let v): return v.map { Int64($0) }
        case .int64(let v): return v
        default: throw TableError(.unsupported, context, "\(column.type) is not an integer column")
        }
    }

    static func narrow<T: FixedWidthInteger>(_ values: [Int64], context: String, target: DataType) throws(TableError) -> [T] {
        var out = [T]()
        out.reserveCapacity(values.count)
        for x in values {
            guard let y = T(exactly: x) else { throw TableError(.corrupt, context, "\(x) does not fit \(target)") }
            out.append(y)
        }
        return out
    }

    static func decimals(_ unscaled: [Int128], fromScale: Int, precision: Int, scale: Int, context: String,
                         validity: Bitmap? = nil) throws(TableError) -> ColumnValues {
        var limit: Int128 = 1
        for _ in 0..<precision { limit *= 10 }
        var out = [Int128]()
        out.reserveCapacity(unscaled.count)
        for (i, x) in unscaled.enumerated() {
            if let validity, !validity[i] { out.append(0); continue }
            var v = x
            if scale > fromScale {
                for _ in fromScale..<scale {
                    let (p, o) = v.multipliedReportingOverflow(by: 10)
                    guard !o else { throw TableError(.corrupt, context, "decimal \(x) overflows DECIMAL(\(precision), \(scale))") }
                    v = p
                }
            } else if scale < fromScale {
                var divisor: Int128 = 1
                for _ in scale..<fromScale { divisor *= 10 }
                let q = v / divisor, r = v % divisor
                v = q + (r.magnitude * 2 >= divisor.magnitude ? (v < 0 ? -1 : 1) : 0)
            }
            guard v > -limit && v < limit else {
                throw TableError(.corrupt, context, "decimal \(x) (scale \(fromScale)) does not fit DECIMAL(\(precision), \(scale))")
            }
            out.append(v)
        }
        return precision <= 18 ? .int64(out.map { Int64($0) }) : .int128(out)
    }

    /// `yyyy-MM-dd` of days since the epoch (proleptic Gregorian).
    static func dateText(_ days: Int32) -> String {
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = Int64(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}
