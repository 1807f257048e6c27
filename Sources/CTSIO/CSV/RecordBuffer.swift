/// The record being parsed: its fields' bytes one after another, where each field ends, and the line
/// breaks inside it.
struct RecordBuffer {
    /// The fields' bytes, one after another, in memory this buffer owns (freed by the parser).
    var storage = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 1)
    var capacity = 4096
    var count = 0
    var ends: [Int] = []
    var newlines = 0
    var failed = false
    /// Field ends of a plain line while it is split (freed by the parser).
    var endScratch = UnsafeMutablePointer<Int>.allocate(capacity: 64)
    var endCapacity = 64

    init() { ends.reserveCapacity(64) }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    /// Adds a field: one copy of its bytes.
    mutating func append(_ field: UnsafeRawBufferPointer) {
        if count + field.count > capacity {
            while count + field.count > capacity { capacity *= 2 }
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
            bigger.copyMemory(from: storage, byteCount: count)
            storage.deallocate()
            storage = bigger
        }
        if let base = field.baseAddress, field.count > 0 {
            (storage + count).copyMemory(from: base, byteCount: field.count)
        }
        count += field.count
        ends.append(count)
    }

    mutating func removeAll() {
        count = 0
        ends.removeAll(keepingCapacity: true)
    }

    /// Where each field of a plain line ends, in place: the first `length` bytes of `line` split at
    /// `delimiter`, if every other byte is printable ASCII and not a double quote (then libcsv would give
    /// the same fields). Returns the number of fields, their ends in `endScratch`; nil for a line that is
    /// not plain. Nothing is copied.
    ///
    /// Eight bytes are classified at a time: each test below sets the high bit of every byte that passes
    /// it, exactly (no carry crosses a byte).
    mutating func splitPlain(_ line: UnsafeRawPointer, length: Int, delimiter: UInt8) -> Int? {
        if length + 1 > endCapacity {
            endScratch.deallocate()
            endCapacity = max(endCapacity * 2, length + 1)
            endScratch = UnsafeMutablePointer<Int>.allocate(capacity: endCapacity)
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        /// Bytes equal to `b`.
        func equal(_ x: UInt64, _ b: UInt8) -> UInt64 {
            let y = x ^ (ones &* UInt64(b))
            return ~(((y & low7) &+ low7) | y) & high
        }
        /// Bytes of `n` (1...128) or more.
        func atLeast(_ x: UInt64, _ n: UInt8) -> UInt64 { (((x & low7) &+ (ones &* UInt64(128 - n))) | x) & high }
        let ends = endScratch
        var fields = 0
        var j = 0
        while j + 8 <= length {
            let x = UInt64(littleEndian: line.loadUnaligned(fromByteOffset: j, as: UInt64.self))
            let delimiters = equal(x, delimiter)
            let notPlain = (~atLeast(x, 0x21) & high) | atLeast(x, 0x7F) | equal(x, 0x22)
            if notPlain & ~delimiters != 0 { return nil }
            var m = delimiters
            while m != 0 {
                ends[fields] = j + m.trailingZeroBitCount >> 3
                fields += 1
                m &= m &- 1
            }
            j += 8
        }
        let bytes = line.assumingMemoryBound(to: UInt8.self)
        while j < length {
            let b = bytes[j]
            if b == delimiter {
                ends[fields] = j
                fields += 1
            } else if b <= 0x20 || b >= 0x7F || b == 0x22 {
                return nil
            }
            j += 1
        }
        ends[fields] = length
        return fields + 1
    }
}
