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

    /// Splits the first `length` bytes of `line` at `delimiter` into fields, if every other byte is
    /// printable ASCII and not a double quote: then libcsv would give the same fields. Else adds nothing
    /// and returns false.
    mutating func appendPlain(_ line: UnsafeRawBufferPointer, length: Int, delimiter: UInt8) -> Bool {
        if count + length > capacity {
            while count + length > capacity { capacity *= 2 }
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
            bigger.copyMemory(from: storage, byteCount: count)
            storage.deallocate()
            storage = bigger
        }
        if length + 1 > endCapacity {
            endScratch.deallocate()
            endCapacity = max(endCapacity * 2, length + 1)
            endScratch = UnsafeMutablePointer<Int>.allocate(capacity: endCapacity)
        }
        // One pass over raw pointers; the field ends gathered aside and added to `ends` at once.
        let input = line.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let out = storage.assumingMemoryBound(to: UInt8.self)
        var n = count
        var fields = 0
        for j in 0..<length {
            let b = input[j]
            if b == delimiter {
                endScratch[fields] = n
                fields += 1
            } else if b > 0x20 && b < 0x7F && b != 0x22 {
                out[n] = b
                n += 1
            } else {
                return false
            }
        }
        endScratch[fields] = n
        ends.append(contentsOf: UnsafeBufferPointer(start: endScratch, count: fields + 1))
        count = n
        return true
    }
}
