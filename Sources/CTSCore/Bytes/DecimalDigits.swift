/// Integers written as decimal digits straight into a byte buffer: for output written millions of
/// times (trend lines, store blocks), where making a `String` per number costs more than the digits.
public enum DecimalDigits {
    /// Appends `n` in decimal, with a minus sign when negative. O(digits).
    @inlinable public static func append(_ n: Int64, to bytes: inout [UInt8]) {
        withDigits(n) { bytes.append(contentsOf: $0) }
    }

    /// Appends `n` in decimal, with a minus sign when negative. O(digits).
    @inlinable public static func append(_ n: Int64, to writer: inout ByteWriter) {
        withDigits(n) { writer.append($0) }
    }

    /// "00", "01", … "99": the two digits of each number below 100.
    @usableFromInline static let pairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// Calls `body` with the digits of `n` (a minus sign first when negative), written from the right into
    /// 24 bytes on the stack (enough for any Int64), so they are appended in one copy.
    @inlinable static func withDigits(_ n: Int64, _ body: (UnsafeRawBufferPointer) -> Void) {
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            var magnitude = n.magnitude
            var i = raw.count
            // Two digits a division, from a table of the hundred pairs: half the divisions of one at a time.
            while magnitude >= 10 {
                let pair = Int(truncatingIfNeeded: magnitude % 100) &* 2
                magnitude /= 100
                i -= 2
                raw[i] = pairs.utf8Start[pair]
                raw[i + 1] = pairs.utf8Start[pair + 1]
            }
            if i == raw.count || magnitude > 0 {
                i -= 1
                raw[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
            }
            if n < 0 {
                i -= 1
                raw[i] = UInt8(ascii: "-")
            }
            body(UnsafeRawBufferPointer(rebasing: raw[i...]))
        }
    }
}
