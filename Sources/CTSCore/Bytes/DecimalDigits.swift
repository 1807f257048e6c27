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

    /// Calls `body` with the digits of `n` (a minus sign first when negative), written from the right into
    /// 24 bytes on the stack (enough for any Int64), so they are appended in one copy.
    @inlinable static func withDigits(_ n: Int64, _ body: (UnsafeRawBufferPointer) -> Void) {
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            var magnitude = n.magnitude
            var i = raw.count
            repeat {
                i -= 1
                raw[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if n < 0 {
                i -= 1
                raw[i] = UInt8(ascii: "-")
            }
            body(UnsafeRawBufferPointer(rebasing: raw[i...]))
        }
    }
}
