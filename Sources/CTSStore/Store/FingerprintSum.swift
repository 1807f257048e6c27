import CTSCore

/// The fingerprint of a set of figures: the SHA-256 of the sum (mod 2^256) of each figure's own
/// SHA-256. Adding does not depend on order, so the figures need not be sorted; sums add up, so each
/// submission keeps the sum of the figures it made current less those it ended, and the store's
/// fingerprint at a time is the sum over the submissions received by then (`Fingerprints`). O(1) memory.
struct FingerprintSum: Equatable {
    /// The 256-bit sum, most significant word first.
    private var sum: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    /// A sum as `hex` writes it; nil for anything else.
    init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var words: [UInt64] = []
        for w in 0..<4 {
            guard let word = UInt64(String(decoding: utf8[(16 * w)..<(16 * w + 16)], as: UTF8.self), radix: 16)
            else { return nil }
            words.append(word)
        }
        sum = (words[0], words[1], words[2], words[3])
    }

    /// The sum itself (not its SHA-256), as 64 hex digits: what a submission stores.
    var hex: String {
        [sum.0, sum.1, sum.2, sum.3].map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    static func == (a: FingerprintSum, b: FingerprintSum) -> Bool { a.sum == b.sum }

    /// The digest of a figure: the SHA-256 of its line (`appendLine`), written into `line`, a buffer the
    /// caller keeps from one figure to the next.
    static func digest(
        reporter: String, year: Int, table: String, variable: String, breakdown: String, raw: String, status: String,
        note: String, line: inout ByteWriter
    ) -> Digest {
        line.removeAll()
        appendLine(
            reporter: reporter, year: year, table: table, variable: variable, breakdown: breakdown, raw: raw,
            status: status, note: note, to: &line)
        return Digest(words: line.withBytes(words))
    }

    /// The line a figure is fingerprinted by: reporter, year, table, variable, breakdown, value as
    /// written, status and note (the `cell` view's columns), split by 0x1F and ended by a newline.
    private static func appendLine(
        reporter: String, year: Int, table: String, variable: String, breakdown: String, raw: String, status: String,
        note: String, to line: inout ByteWriter
    ) {
        line.append(utf8: reporter)
        line.append(0x1F)
        DecimalDigits.append(Int64(year), to: &line)
        // Field by field: an array of the texts would be allocated for every figure.
        func field(_ text: String) {
            line.append(0x1F)
            line.append(utf8: text)
        }
        field(table)
        field(variable)
        field(breakdown)
        field(raw)
        field(status)
        field(note)
        line.append(0x0A)
    }

    /// A figure's SHA-256 as four words, most significant first: what `add(digest:)` adds.
    struct Digest: Sendable, Equatable {
        fileprivate var words: (UInt64, UInt64, UInt64, UInt64)

        static func == (a: Digest, b: Digest) -> Bool { a.words == b.words }
    }

    /// Adds the figure whose line is `line`.
    mutating func add(_ line: [UInt8]) { add(line.withUnsafeBytes(Self.words)) }

    /// Adds the figure whose digest is `digest`.
    mutating func add(digest: Digest) { add(digest.words) }

    /// Takes away the figure whose digest is `digest`.
    mutating func subtract(digest: Digest) {
        let d = digest.words
        // a - b = a + (2^256 - b) = a + (~b + 1), mod 2^256.
        add((~d.0, ~d.1, ~d.2, ~d.3))
        add((0, 0, 0, 1))
    }

    /// Adds another sum.
    mutating func add(_ other: FingerprintSum) { add(other.sum) }

    private static func words(_ line: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64, UInt64) {
        SHA256.digestWords(of: line)
    }

    private mutating func add(_ d: (UInt64, UInt64, UInt64, UInt64)) {
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
