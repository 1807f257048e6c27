import CTSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The JSON of a block row (`observation_block`, `cell_block`): an array with one flat array per item
/// of numbers, strings and nulls, written and read without building a JSON tree. SQL reads the same text
/// with `json_each`.
///
/// Numbers are written as Swift's shortest round-trip decimals and read back exactly; strings escape
/// only `"`, `\\` and control characters. O(bytes) both ways.
enum BlockJSON {
    /// A JSON string in a block: its bytes between the quotes, escapes still in them when `escaped`.
    struct Text {
        var bytes: UnsafeRawBufferPointer
        var escaped: Bool

        /// Whether it stands for `ascii` (compared as written: `ascii` needs no escape).
        func equals(_ ascii: StaticString) -> Bool {
            !escaped && bytes.count == ascii.utf8CodeUnitCount
                && memcmp(bytes.baseAddress!, ascii.utf8Start, bytes.count) == 0
        }

        /// Appends the UTF-8 of the string it stands for.
        func append(to out: inout [UInt8]) {
            if escaped { out.append(contentsOf: string.utf8) } else { out.append(contentsOf: bytes) }
        }

        /// The string it stands for.
        var string: String {
            escaped ? BlockJSON.unescape(bytes) : String(decoding: bytes, as: UTF8.self)
        }
    }

    /// A block that is not what the writer writes (a store edited by hand, or damaged).
    struct FormatError: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "A block of the store is not valid JSON of its kind at byte \(offset)." }
    }

    // MARK: Writing

    /// Starts an item: its array, after a comma unless it is the block's first.
    static func beginItem(_ json: inout ByteWriter) {
        json.append(json.isEmpty ? UInt8(ascii: "[") : UInt8(ascii: ","))
        json.append(UInt8(ascii: "["))
    }

    /// Ends an item.
    static func endItem(_ json: inout ByteWriter) { json.append(UInt8(ascii: "]")) }

    /// Separates two fields of an item.
    static func comma(_ json: inout ByteWriter) { json.append(UInt8(ascii: ",")) }

    /// Closes a block's text.
    static func close(_ json: inout ByteWriter) {
        if json.isEmpty { json.append(UInt8(ascii: "[")) }
        json.append(UInt8(ascii: "]"))
    }

    static func appendNull(_ json: inout ByteWriter) { json.append(utf8: "null") }

    /// Decimal digits, written in place without making a `String`.
    static func appendInteger(_ n: Int, to json: inout ByteWriter) { DecimalDigits.append(Int64(n), to: &json) }

    /// A finite number as Swift's shortest decimal that reads back to the same bits (`3586.0`, `1e-05`):
    /// valid JSON. Figures are finite (returns reject others); a non-finite one would not be JSON, so it
    /// stops the program rather than being written as something else.
    static func appendNumber(_ x: Double, to json: inout ByteWriter) {
        precondition(x.isFinite, "A figure to be stored is not a finite number.")
        // Whole numbers below 10^15 (most figures, and every share of 1) as `description` writes them,
        // without making a `String`; -0.0 keeps its sign through `description`.
        if x == x.rounded(.towardZero), x.magnitude < 1e15, x.sign == .plus || x != 0 {
            appendInteger(Int(x), to: &json)
            json.append(UInt8(ascii: "."))
            json.append(UInt8(ascii: "0"))
        } else {
            json.append(utf8: x.description)
        }
    }

    /// A string in quotes: its UTF-8 as it is, but for `"`, `\\` and control characters, escaped.
    static func appendString(_ s: String, to json: inout ByteWriter) {
        json.append(UInt8(ascii: "\""))
        // Most texts need no escape: checked and copied whole, from the string's own storage.
        var s = s
        s.withUTF8 { bytes in
            if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                json.append(UnsafeRawBufferPointer(bytes))
                return
            }
            let hex = Array("0123456789abcdef".utf8)
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    json.append(UInt8(ascii: "\\"))
                    json.append(byte)
                case 0..<0x20:
                    json.append(utf8: "\\u00")
                    json.append(hex[Int(byte >> 4)])
                    json.append(hex[Int(byte & 0xF)])
                default:
                    json.append(byte)
                }
            }
        }
        json.append(UInt8(ascii: "\""))
    }

    /// Appends the UTF-8 of `s`.
    static func appendUTF8(_ s: String, to bytes: inout ByteWriter) { bytes.append(utf8: s) }

    // MARK: Reading

    /// Calls `body` once per item of the block text `json`, with a reader standing at its first field;
    /// `body` reads every field (`Reader.next` between them). White space between tokens is allowed.
    static func forEachItem(in json: UnsafeRawBufferPointer, _ body: (inout Reader) throws -> Void) throws {
        var reader = Reader(bytes: json)
        try reader.expect("[")
        if try reader.peek() == UInt8(ascii: "]") {
            try reader.expect("]")
            return try reader.end()
        }
        while true {
            try reader.expect("[")
            try body(&reader)
            try reader.expect("]")
            if try reader.peek() == UInt8(ascii: ",") {
                try reader.expect(",")
            } else {
                try reader.expect("]")
                return try reader.end()
            }
        }
    }

    /// Reads the fields of one item in order.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        private var error: FormatError { FormatError(offset: i) }

        private mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 {
                i += 1
            }
        }

        mutating func peek() throws -> UInt8 {
            // Blocks as cts writes them have no white space: the byte at hand is most often the answer.
            if i < bytes.count, bytes[i] > 0x20 { return bytes[i] }
            skipSpace()
            guard i < bytes.count else { throw error }
            return bytes[i]
        }

        mutating func expect(_ c: Unicode.Scalar) throws {
            guard try peek() == UInt8(ascii: c) else { throw error }
            i += 1
        }

        /// Steps over the comma between two fields.
        mutating func next() throws { try expect(",") }

        /// Steps over the comma before another field, if the item has one (items may leave their last
        /// fields out); false at the item's end.
        mutating func nextIfAny() throws -> Bool {
            guard try peek() == UInt8(ascii: ",") else { return false }
            i += 1
            return true
        }

        /// A string, or nil for `null`.
        mutating func stringOrNull() throws -> Text? {
            try peek() == UInt8(ascii: "n") ? try null() : try string()
        }

        mutating func end() throws {
            skipSpace()
            guard i == bytes.count else { throw error }
        }

        mutating func null() throws -> Text? {
            guard i + 4 <= bytes.count, bytes[i] == 0x6E, bytes[i + 1] == 0x75, bytes[i + 2] == 0x6C,
                bytes[i + 3] == 0x6C
            else { throw error }
            i += 4
            return nil
        }

        mutating func integer() throws -> Int64 {
            _ = try peek()
            // Up to 17 digits cannot overflow: read without the checks.
            var j = i
            var small: Int64 = 0
            while j < bytes.count, j - i < 18, bytes[j] >= 0x30, bytes[j] <= 0x39 {
                small = small &* 10 &+ Int64(bytes[j] &- 0x30)
                j += 1
            }
            if j > i, j - i < 18, j == bytes.count || bytes[j] < 0x30 || bytes[j] > 0x39 {
                i = j
                return small
            }
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            var n: Int64 = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                let (times, o1) = n.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int64(bytes[i] - 0x30))
                guard !o1, !o2 else { throw error }
                n = sum
                i += 1
            }
            let digits = i - start - (bytes[start] == UInt8(ascii: "-") ? 1 : 0)
            guard digits > 0 else { throw error }
            return bytes[start] == UInt8(ascii: "-") ? -n : n
        }

        mutating func numberOrNull() throws -> Double? {
            if try peek() == UInt8(ascii: "n") {
                _ = try null()
                return nil
            }
            return try number()
        }

        /// A JSON number, read exactly (as `Double(String)` reads it).
        mutating func number() throws -> Double {
            _ = try peek()
            let start = i
            if let whole = wholeNumber() { return whole }
            while i < bytes.count {
                let b = bytes[i]
                guard (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x65 || b == 0x45
                else { break }
                i += 1
            }
            let text = Substring(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            guard let x = Double(text), x.isFinite else {
                i = start
                throw error
            }
            return x
        }

        /// A number written as up to 15 digits, optionally with `.0` (most figures, as `appendNumber`
        /// writes them): read without `strtod`, exactly, as such numbers are below 2^53. Else nil, and
        /// nothing is consumed.
        private mutating func wholeNumber() -> Double? {
            var j = i
            let negative = j < bytes.count && bytes[j] == UInt8(ascii: "-")
            if negative { j += 1 }
            var n: Int64 = 0
            let first = j
            while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39, j - first < 15 {
                n = n * 10 + Int64(bytes[j] - 0x30)
                j += 1
            }
            guard j > first else { return nil }
            if j + 1 < bytes.count, bytes[j] == UInt8(ascii: "."), bytes[j + 1] == UInt8(ascii: "0") {
                j += 2
            }
            // Anything else still part of the number (more digits, a fraction, an exponent): not this case.
            if j < bytes.count {
                let b = bytes[j]
                if (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x65 || b == 0x45 { return nil }
            }
            i = j
            // -0 keeps its sign, as strtod gives it.
            return negative ? -Double(n) : Double(n)
        }

        mutating func string() throws -> Text {
            try expect("\"")
            let start = i
            var escaped = false
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") {
                    escaped = true
                    i += 1
                }
                i += 1
            }
            guard i < bytes.count else { throw error }
            let text = Text(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), escaped: escaped)
            i += 1
            return text
        }
    }

    /// The string a JSON string's inner bytes stand for (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`,
    /// `\uXXXX` with surrogate pairs). Malformed escapes become U+FFFD.
    static func unescape(_ bytes: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for b in bytes[at..<at + 4] {
                guard let d = Character(Unicode.Scalar(b)).hexDigitValue else { return nil }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while i < bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\"), i + 1 < bytes.count else {
                out.append(b)
                i += 1
                continue
            }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar: Unicode.Scalar = "\u{FFFD}"
                if let high = hex4(i) {
                    i += 4
                    if (0xD800..<0xDC00).contains(high), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                        bytes[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2), (0xDC00..<0xE000).contains(low)
                    {
                        i += 6
                        scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? scalar
                    } else {
                        scalar = Unicode.Scalar(high) ?? scalar
                    }
                }
                out.append(contentsOf: String(scalar).utf8)
            default: out.append(e)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
