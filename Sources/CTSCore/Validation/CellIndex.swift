/// The cells of a return by key, with an optional fallback (the store) for cells the return does not hold,
/// such as the previous year's figures.
///
/// The cells stay in one array; the index maps each key to its position, so a cell is stored once and
/// lookups copy nothing but the key. Memory: one array slot and one dictionary entry per cell.
public struct CellIndex: CellLookup {
    public private(set) var storage: [ReturnCell] = []
    private var positions: [CellKey: Int] = [:]
    public var fallback: (any CellLookup)?

    public init(fallback: (any CellLookup)? = nil, capacity: Int = 0) {
        self.fallback = fallback
        storage.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
    }

    /// Adds a cell unless one with its key is held; returns the position of the cell already held.
    public mutating func insert(_ cell: ReturnCell) -> Int? {
        if let existing = positions[cell.key] { return existing }
        positions[cell.key] = storage.count
        storage.append(cell)
        return nil
    }

    /// Where the cell of the return with this key stands in `storage` (nil if absent or withdrawn).
    public func position(of key: CellKey) -> Int? {
        guard let i = positions[key], !storage[i].isWithdrawal else { return nil }
        return i
    }

    /// The cell of the return with this key, ignoring the fallback and withdrawals.
    public func local(_ key: CellKey) -> ReturnCell? {
        guard let i = positions[key], !storage[i].isWithdrawal else { return nil }
        return storage[i]
    }

    public func cell(_ key: CellKey) -> ReturnCell? { local(key) ?? fallback?.cell(key) }
}
