import struct Foundation.Date

/// Calendar arithmetic for the three time formats S3 uses, without `DateFormatter` (pure, UTC only):
/// SigV4's `20130524T000000Z`, ISO 8601 in XML listings (`2013-09-17T18:07:53.000Z`) and the RFC 1123
/// `Last-Modified` header (`Wed, 12 Oct 2009 17:50:00 GMT`). Dates before 1970 and after 9999 are not supported.
enum S3Time {
    struct Civil: Equatable {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    }

    /// The UTC calendar fields of `date` (whole seconds, rounded down).
    static func civil(_ date: Date) -> Civil {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return Civil(year: year, month: month, day: day,
                     hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60)
    }

    /// The instant of a UTC civil time; nil when a field is out of range.
    static func date(_ c: Civil, fraction: Double = 0) -> Date? {
        guard (1970...9999).contains(c.year), (1...12).contains(c.month), (0...23).contains(c.hour),
              (0...59).contains(c.minute), (0...60).contains(c.second) else { return nil }
        let monthDays = [31, isLeap(c.year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[c.month - 1]).contains(c.day) else { return nil }
        let y = c.month <= 2 ? c.year - 1 : c.year
        let era = y / 400
        let yearOfEra = y - era * 400
        let mp = (c.month + 9) % 12
        let dayOfYear = (153 * mp + 2) / 5 + c.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + c.hour * 3600 + c.minute * 60 + c.second
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    /// `YYYYMMDD'T'HHMMSS'Z'`, the SigV4 `X-Amz-Date`.
    static func amzDate(_ date: Date) -> String {
        let c = civil(date)
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
    }

    /// `YYYYMMDD`, the date in a SigV4 credential scope.
    static func dateStamp(_ date: Date) -> String {
        let c = civil(date)
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2)
    }

    /// `Wed, 12 Oct 2009 17:50:00 GMT` (RFC 1123), for the `Date` header of hand-made requests and tests.
    static func httpDate(_ date: Date) -> String {
        let c = civil(date)
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = weekdays[((days % 7) + 7 + 4) % 7]  // 1970-01-01 was a Thursday
        return "\(weekday), \(pad(c.day, 2)) \(months[c.month - 1]) \(pad(c.year, 4)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) GMT"
    }

    /// Parses `2013-09-17T18:07:53.000Z` (fraction optional, `Z` required).
    static func parseISO8601(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b.count <= 40, b[4] == 0x2d, b[7] == 0x2d, b[10] == 0x54, b[13] == 0x3a, b[16] == 0x3a,
              b.last == 0x5a,
              let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
              let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2) else { return nil }
        var fraction = 0.0
        if b.count > 20 {
            guard b[19] == 0x2e, b.count > 21 else { return nil }
            var scale = 0.1
            for i in 20..<(b.count - 1) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
            }
        }
        return date(Civil(year: year, month: month, day: day, hour: hour, minute: minute, second: second), fraction: fraction)
    }

    /// Parses the RFC 1123 form `Wed, 12 Oct 2009 17:50:00 GMT` (the weekday is not checked).
    static func parseHTTPDate(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 29, b[3] == 0x2c, b[4] == 0x20, b[7] == 0x20, b[11] == 0x20, b[16] == 0x20,
              b[19] == 0x3a, b[22] == 0x3a, b[25] == 0x20, text.hasSuffix(" GMT"),
              let day = digits(b, 5, 2), let year = digits(b, 12, 4), let hour = digits(b, 17, 2),
              let minute = digits(b, 20, 2), let second = digits(b, 23, 2) else { return nil }
        let monthName = String(decoding: b[8..<11], as: UTF8.self)
        guard let monthIndex = months.firstIndex(of: monthName) else { return nil }
        return date(Civil(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    private static func digits(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
            value = value * 10 + Int(b[i] - 0x30)
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
