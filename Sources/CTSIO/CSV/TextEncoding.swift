/// The encodings a return may be read in. UTF-8 is the default; Windows-1252 is what Excel writes on
/// many Windows machines.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"

    /// Accepts common spellings: `utf8`, `UTF-8`, `cp1252`, `windows-1252`.
    public init?(name: String) {
        switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "utf-8", "utf8": self = .utf8
        case "windows-1252", "cp1252", "win-1252", "windows1252": self = .windows1252
        default: return nil
        }
    }
}

/// Windows-1252 to UTF-8, one byte at a time, so chunk boundaries never matter.
enum Windows1252 {
    /// Unicode scalars for 0x80–0x9F; 0 marks the five bytes the encoding leaves undefined.
    static let high: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    static func scalar(_ byte: UInt8) -> UInt32? {
        if byte < 0x80 || byte >= 0xA0 { return UInt32(byte) }
        let s = high[Int(byte - 0x80)]
        return s == 0 ? nil : s
    }

    /// Appends the UTF-8 form of `bytes` to `out`; returns the index of the first undefined byte, if any.
    static func transcode(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Int? {
        for (i, byte) in bytes.enumerated() {
            if byte < 0x80 {
                out.append(byte)
                continue
            }
            guard let s = scalar(byte) else { return i }
            if s < 0x800 {
                out.append(UInt8(0xC0 | (s >> 6)))
                out.append(UInt8(0x80 | (s & 0x3F)))
            } else {
                out.append(UInt8(0xE0 | (s >> 12)))
                out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (s & 0x3F)))
            }
        }
        return nil
    }

    /// How `bytes` would read if they were Windows-1252, for hints.
    static func decode(_ bytes: some Sequence<UInt8>) -> String {
        var s = ""
        for b in bytes { s.unicodeScalars.append(scalar(b).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}") }
        return s
    }
}
