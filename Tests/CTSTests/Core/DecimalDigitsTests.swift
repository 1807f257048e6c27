import CTSCore
import Testing

/// Digits written into bytes must be what `String(n)` writes, for every length and sign, into an array
/// and into a `ByteWriter` that has to grow on the way.
@Suite struct DecimalDigitsTests {
    static let values: [Int64] = {
        var values: [Int64] = [0, -1, 1, 9, 10, -10, 99, 100, Int64.max, Int64.min, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power, -(power - 1)]
        }
        return values
    }()

    @Test func digitsAreWhatStringWrites() {
        for n in Self.values {
            var bytes: [UInt8] = [UInt8(ascii: "x")]
            DecimalDigits.append(n, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "x" + String(n))
        }
    }

    @Test func writerHoldsEveryPieceInOrder() {
        var writer = ByteWriter(capacity: 1)
        var expected = ""
        for n in Self.values {
            DecimalDigits.append(n, to: &writer)
            writer.append(UInt8(ascii: ","))
            writer.append(utf8: "é\(n)")
            writer.append([UInt8]("|".utf8))
            expected += String(n) + ",é\(n)|"
        }
        #expect(writer.count == expected.utf8.count)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }
}
