/// Cell positions by packed key: open addressing with linear probing and a cheap integer hash.
///
/// Hashing a `PackedCellKey` this way costs a few instructions where `Dictionary` runs SipHash; the
/// cross-cell checks look a key up for every part of every total. Lookups and inserts are O(1) on
/// average; the table is at most half full. Memory: 20 bytes per slot.
struct PackedKeyTable {
    private var keys: [PackedCellKey]
    private var values: [Int32]
    private var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        keys = Array(repeating: PackedCellKey(head: 0, breakdown: 0), count: size)
        values = Array(repeating: -1, count: size)
    }

    @inline(__always) private static func slot(_ key: PackedCellKey, mask: Int) -> Int {
        // MurmurHash3's 64-bit finalizer over both words: every input bit reaches the low bits.
        var h = key.head ^ (key.breakdown &* 0x9E37_79B9_7F4A_7C15)
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h) & mask
    }

    /// The value stored for `key`, if any.
    func find(_ key: PackedCellKey) -> Int32? {
        let mask = values.count - 1
        var i = Self.slot(key, mask: mask)
        while true {
            let v = values[i]
            if v < 0 { return nil }
            if keys[i] == key { return v }
            i = (i + 1) & mask
        }
    }

    /// Stores `value` for `key` unless the key is held; returns the value already held.
    mutating func insert(_ key: PackedCellKey, _ value: Int32) -> Int32? {
        if (count + 1) * 2 > values.count { grow() }
        let mask = values.count - 1
        var i = Self.slot(key, mask: mask)
        while values[i] >= 0 {
            if keys[i] == key { return values[i] }
            i = (i + 1) & mask
        }
        keys[i] = key
        values[i] = value
        count += 1
        return nil
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: PackedCellKey(head: 0, breakdown: 0), count: oldValues.count * 2)
        values = Array(repeating: -1, count: oldValues.count * 2)
        count = 0
        for i in oldValues.indices where oldValues[i] >= 0 { _ = insert(oldKeys[i], oldValues[i]) }
    }

    /// Empties the table, keeping its size. O(size).
    mutating func removeAll() {
        guard count > 0 else { return }
        for i in values.indices { values[i] = -1 }
        count = 0
    }
}
