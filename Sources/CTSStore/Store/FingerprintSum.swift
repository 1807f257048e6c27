/// The fingerprint of a set of figures: the SHA-256 of the sum (mod 2^256) of each figure's own
/// SHA-256. Adding does not depend on order, so the figures need not be sorted. O(1) memory.
struct FingerprintSum {
    private var sum: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Adds the figure whose line is `line`.
    mutating func add(_ line: [UInt8]) {
        let d = line.withUnsafeBytes { SHA256.digestWords(of: $0) }
        var carry: UInt64 = 0
        func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let (partial, o1) = a.addingReportingOverflow(b)
            let (total, o2) = partial.addingReportingOverflow(carry)
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            return total
        }
        // Word 3 holds the lowest bits of the digest read as one big-endian number.
        sum.3 = add(sum.3, d.3)
        sum.2 = add(sum.2, d.2)
        sum.1 = add(sum.1, d.1)
        sum.0 = add(sum.0, d.0)
    }

    /// The SHA-256 of the sum, in hex.
    func finalize() -> String {
        var hasher = SHA256()
        hasher.update(
            [sum.0, sum.1, sum.2, sum.3].flatMap { word in
                (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * UInt64($0))) }
            })
        return hasher.finalize()
    }
}
