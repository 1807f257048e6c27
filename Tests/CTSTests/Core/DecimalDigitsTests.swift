import CTSCore
import Testing

/// Digits written into bytes must be what `String(n)` writes, for every length and sign.
@Suite struct DecimalDigitsTests {
    @Test func digitsAreWhatStringWrites() {
        var values: [Int64] = [0, -1, 1, 9, 10, -10, 99, 100, Int64.max, Int64.min, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power, -(power - 1)]
        }
        for n in values {
            var bytes: [UInt8] = [UInt8(ascii: "x")]
            DecimalDigits.append(n, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "x" + String(n))
        }
    }
}
