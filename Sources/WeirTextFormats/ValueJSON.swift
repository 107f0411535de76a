import WeirColumnar

/// The JSON encoding of values that `weir table scan`, `weir file convert` and the interop tests share, so
/// Weir's output compares directly with `../shared/fixtures/pypaimon/expected/*.json` (the encoding of
/// `make_fixtures.py`) and with what the Python peers print (`Tests/Interop/peers/value_json.py`):
///
/// | type | JSON |
/// | --- | --- |
/// | NULL | `null` |
/// | BOOLEAN | `true` / `false` |
/// | TINYINT … BIGINT | number |
/// | FLOAT, DOUBLE | number (FLOAT as the exact double value of the float); NaN and ±infinity as the strings `"NaN"`, `"Infinity"`, `"-Infinity"` |
/// | DECIMAL(p, s) | string with exactly s fractional digits: `"12.30"` |
/// | CHAR, VARCHAR | string |
/// | BINARY, VARBINARY | lower-case hex string |
/// | DATE | `"YYYY-MM-DD"` |
/// | TIME | `"HH:MM:SS.fff"` |
/// | TIMESTAMP(p), TIMESTAMP_LTZ(p) | `"YYYY-MM-DDTHH:MM:SS.ffffff"` for p ≤ 6, nine fractional digits for p > 6 (no zone) |
/// | ARRAY, MULTISET | array |
/// | MAP | array of `[key, value]` pairs, in stored order |
/// | ROW | object by field name, in field order |
public enum ValueJSON {
    /// One value of type `type` as JSON text.
    public static func encode(_ value: Value, type: DataType) -> String {
        var out = ""
        write(value, type: type, into: &out)
        return out
    }

    /// Row `row` of `batch` as one JSON object, columns in schema order.
    public static func encodeRow(_ batch: ColumnBatch, row: Int) -> String {
        var out = "{"
        for (index, field) in batch.schema.fields.enumerated() {
            if index > 0 { out += "," }
            out += quote(field.name) + ":"
            write(batch.columns[index].value(at: row), type: field.type, into: &out)
        }
        return out + "}"
    }

    static func write(_ value: Value, type: DataType, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .boolean(let b): out += b ? "true" : "false"
        case .integer(let n): out += String(n)
        case .float(let f): out += number(Double(f))
        case .double(let d): out += number(d)
        case .decimal(let unscaled, let scale): out += quote(decimalString(unscaled: unscaled, scale: scale))
        case .string(let s): out += quote(s)
        case .bytes(let b): out += quote(hex(b))
        case .date(let days): out += quote(CivilTime.date(days: Int64(days)))
        case .time(let millis): out += quote(CivilTime.timeOfDay(millis: millis))
        case .timestamp(let t):
            let precision: Int
            switch type.kind {
            case .timestamp(let p), .timestampLTZ(let p): precision = p
            default: precision = 6
            }
            out += quote(CivilTime.timestamp(t, precision: precision))
        case .list(let items):
            let element: DataType
            switch type.kind {
            case .array(let e), .multiset(let e): element = e
            default: element = type
            }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, type: element, into: &out)
            }
            out += "]"
        case .map(let entries):
            guard case .map(let keyType, let valueType) = type.kind else { out += "null"; return }
            out += "["
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += "," }
                out += "["
                write(entry.key, type: keyType, into: &out)
                out += ","
                write(entry.value, type: valueType, into: &out)
                out += "]"
            }
            out += "]"
        case .row(let values):
            guard case .row(let fields) = type.kind else { out += "null"; return }
            out += "{"
            for (i, (field, v)) in zip(fields, values).enumerated() {
                if i > 0 { out += "," }
                out += quote(field.name) + ":"
                write(v, type: field.type, into: &out)
            }
            out += "}"
        }
    }

    static func number(_ d: Double) -> String {
        if d.isNaN { return "\"NaN\"" }
        if d.isInfinite { return d > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        return d.description
    }

    /// `unscaled × 10^-scale` in plain notation with exactly `scale` fractional digits.
    public static func decimalString(unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        var digits = String(unscaled.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string literal (control characters escaped as `\uXXXX`).
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let h = Array("0123456789abcdef")
                    out += "\\u00" + String(h[Int(scalar.value >> 4)]) + String(h[Int(scalar.value & 15)])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Proleptic Gregorian calendar arithmetic in UTC (days from 1970-01-01), without Foundation.
public enum CivilTime {
    /// (year, month, day) of `days` since 1970-01-01 (Howard Hinnant's civil_from_days).
    public static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Days since 1970-01-01 of a civil date (days_from_civil); the caller checks the ranges.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func date(days: Int64) -> String {
        let (y, m, d) = civil(days: days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    public static func timeOfDay(millis: Int32) -> String {
        let ms = Int64(millis)
        return pad(ms / 3_600_000, 2) + ":" + pad(ms / 60_000 % 60, 2) + ":" + pad(ms / 1000 % 60, 2) + "." + pad(ms % 1000, 3)
    }

    /// A timestamp held in the unit of `precision` (see `Column`) as `YYYY-MM-DDTHH:MM:SS.ffffff[fff]`.
    public static func timestamp(_ value: Int64, precision: Int) -> String {
        let unitsPerSecond: Int64 = precision <= 3 ? 1_000 : precision <= 6 ? 1_000_000 : 1_000_000_000
        var seconds = value / unitsPerSecond
        var fraction = value % unitsPerSecond
        if fraction < 0 {
            fraction += unitsPerSecond
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let fractionText = precision <= 6 ? pad(fraction * (1_000_000 / min(unitsPerSecond, 1_000_000)), 6) : pad(fraction, 9)
        return date(days: days) + "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":"
            + pad(secondOfDay % 60, 2) + "." + fractionText
    }

    static func pad(_ n: Int64, _ width: Int) -> String {
        let negative = n < 0
        var s = String(n.magnitude)
        if s.count < width { s = String(repeating: "0", count: width - s.count) + s }
        return negative ? "-" + s : s
    }
}
