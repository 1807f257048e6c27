#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// UTC timestamps in one fixed ISO 8601 form (`2026-11-23T14:30:05.123456Z`), so text order is time order.
public enum Timestamp {
    /// The current time.
    public static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(seconds: Int(ts.tv_sec), micros: Int(ts.tv_nsec / 1000))
    }

    static func format(seconds: Int, micros: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let frac = String(micros)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: 6 - frac.count) + frac + "Z"
    }

    /// Reads an ISO 8601 date or time into the canonical form: `YYYY-MM-DD` (the end of that day, or its
    /// start with `endOfDay: false`), or `YYYY-MM-DDTHH:MM[:SS[.ffffff]]` with `Z` or an offset such as
    /// `+02:00` (converted to UTC). Only real calendar dates and times are read (no 31 June, no 25:00);
    /// nil for anything else.
    public static func parse(_ text: String, endOfDay: Bool = true) -> String? {
        let c = Array(text.utf8)
        func number(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= c.count, c[r].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return c[r].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard c.count >= 10, c[4] == 45, c[7] == 45, let year = number(0..<4), let month = number(5..<7),
            let day = number(8..<10), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        guard c.count > 10 else {
            return format(
                seconds: seconds(year, month, day, endOfDay ? 23 : 0, endOfDay ? 59 : 0, endOfDay ? 59 : 0),
                micros: endOfDay ? 999_999 : 0)
        }
        guard c.count >= 16, c[10] == 84, c[13] == 58, let hour = number(11..<13), let minute = number(14..<16),
            hour <= 23, minute <= 59
        else { return nil }
        var i = 16
        var second = 0
        var micros = 0
        if i < c.count, c[i] == 58 {
            guard let s = number((i + 1)..<(i + 3)), s <= 59 else { return nil }
            second = s
            i += 3
            if i < c.count, c[i] == 46 {
                var digits = 0
                i += 1
                while i < c.count, c[i] >= 48, c[i] <= 57 {
                    guard digits < 6 else { return nil }
                    micros = micros * 10 + Int(c[i] - 48)
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<6 { micros *= 10 }
            }
        }
        var offset = 0
        if i < c.count, c[i] == 90 {
            i += 1
        } else if i < c.count, c[i] == 43 || c[i] == 45 {
            // An offset from UTC: +HH:MM, +HHMM or +HH; the time in UTC is the local time less it.
            let sign = c[i] == 45 ? -1 : 1
            guard let h = number((i + 1)..<(i + 3)), h <= 23 else { return nil }
            i += 3
            var m = 0
            if i < c.count, c[i] == 58 {
                guard let mm = number((i + 1)..<(i + 3)), mm <= 59 else { return nil }
                (m, i) = (mm, i + 3)
            } else if let mm = number(i..<(i + 2)), mm <= 59 {
                (m, i) = (mm, i + 2)
            }
            offset = sign * (h * 3600 + m * 60)
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        return format(seconds: seconds(year, month, day, hour, minute, second) - offset, micros: micros)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Seconds since 1970 of a UTC date and time.
    private static func seconds(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int)
        -> Int
    {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Int(timegm(&parts))
    }
}
