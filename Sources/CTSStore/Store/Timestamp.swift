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

    /// Reads `YYYY-MM-DD` (meaning the end of that day) or `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` into the
    /// canonical form; nil for anything else.
    public static func parse(_ text: String, endOfDay: Bool = true) -> String? {
        let c = Array(text.utf8)
        func digits(_ r: Range<Int>) -> Bool { r.upperBound <= c.count && c[r].allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard digits(0..<4), c.count >= 10, c[4] == 45, digits(5..<7), c[7] == 45, digits(8..<10),
            let month = Int(String(decoding: c[5..<7], as: UTF8.self)), (1...12).contains(month),
            let day = Int(String(decoding: c[8..<10], as: UTF8.self)), (1...31).contains(day)
        else { return nil }
        if c.count == 10 { return text + (endOfDay ? "T23:59:59.999999Z" : "T00:00:00.000000Z") }
        guard c.count >= 20, c[10] == 84, digits(11..<13), c[13] == 58, digits(14..<16), c[16] == 58,
            digits(17..<19), c.last == 90
        else { return nil }
        var frac = ""
        if c.count > 20 {
            guard c[19] == 46, digits(20..<(c.count - 1)), c.count - 21 <= 6 else { return nil }
            frac = String(decoding: c[20..<(c.count - 1)], as: UTF8.self)
        } else if c[19] != 90 {
            return nil
        }
        return String(decoding: c[0..<19], as: UTF8.self) + "." + frac + String(repeating: "0", count: 6 - frac.count)
            + "Z"
    }
}
