#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Maps short byte strings, each in a numbered slot (a column), to numbers without making a `String` per
/// lookup.
///
/// Open addressing on an FNV-1a hash of the slot and the bytes; keys are copied into one byte arena.
/// Lookups and inserts are O(key length) on average. One table serves every column of the row decoder,
/// so a lookup touches no array of tables.
public struct ByteCodeTable: Sendable {
    private var slots: [Int32]
    private var entries: [Entry] = []
    private var arena: [UInt8] = []

    private struct Entry {
        var start: Int32
        var length: Int32
        var hash: UInt64
        var slot: Int32
        var value: Int32
    }

    public init() { slots = Array(repeating: -1, count: 16) }

    @inline(__always) private static func hash(_ bytes: UnsafeRawBufferPointer, _ slot: Int32) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(UInt32(bitPattern: slot))
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    /// The number stored for `bytes` in `slot`, if any.
    public func find(_ bytes: UnsafeRawBufferPointer, in slot: Int32) -> Int32? {
        let h = Self.hash(bytes, slot)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[i]
            if e < 0 { return nil }
            let entry = entries[Int(e)]
            if entry.hash == h && entry.slot == slot && Int(entry.length) == bytes.count && equal(entry, bytes) {
                return entry.value
            }
            i = (i + 1) & mask
        }
    }

    private func equal(_ entry: Entry, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
        return arena.withUnsafeBytes { a in memcmp(a.baseAddress! + Int(entry.start), base, bytes.count) == 0 }
    }

    /// Stores `value` for `bytes` in `slot` (which must not be stored yet).
    public mutating func insert(_ bytes: UnsafeRawBufferPointer, in slot: Int32, value: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let entry = Entry(
            start: Int32(arena.count), length: Int32(bytes.count), hash: Self.hash(bytes, slot), slot: slot,
            value: value)
        arena.append(contentsOf: bytes)
        entries.append(entry)
        place(Int32(entries.count - 1), hash: entry.hash)
    }

    private mutating func place(_ e: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = e
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for (e, entry) in entries.enumerated() { place(Int32(e), hash: entry.hash) }
    }

    /// Empties the table.
    public mutating func removeAll() {
        slots = Array(repeating: -1, count: 16)
        entries.removeAll()
        arena.removeAll()
    }
}
