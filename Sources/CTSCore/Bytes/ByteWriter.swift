/// A growing buffer of bytes written through a pointer, for output made of millions of small pieces
/// (trend lines): each `Array.append` pays for a uniqueness check and the array's own bookkeeping, about
/// a hundred instructions, where a piece here costs a capacity check and a copy.
///
/// Noncopyable: it owns its memory and frees it when it goes. Appending is amortized O(1) per byte.
public struct ByteWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var written: Int
    /// Bytes written so far.
    public var count: Int { written }

    /// Whether nothing is written.
    public var isEmpty: Bool { written == 0 }

    /// Forgets what is written, keeping the room.
    public mutating func removeAll() { written = 0 }

    /// An empty buffer with room for `capacity` bytes.
    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        written = 0
    }

    deinit { base.deallocate() }

    /// Makes room for `needed` more bytes than are written.
    @usableFromInline mutating func grow(_ needed: Int) {
        let newCapacity = max(capacity * 2, count + needed)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends one byte.
    @inlinable public mutating func append(_ byte: UInt8) {
        if written == capacity { grow(1) }
        base[written] = byte
        written += 1
    }

    /// Appends `bytes` as they are.
    @inlinable public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        if capacity - written < bytes.count { grow(bytes.count) }
        UnsafeMutableRawPointer(base + written).copyMemory(from: source, byteCount: bytes.count)
        written += bytes.count
    }

    /// Appends `bytes` as they are.
    @inlinable public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Appends the UTF-8 bytes of `text`.
    @inlinable public mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Calls `body` with the bytes written so far.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { withBytes { Array($0) } }
}
