/// The cells of a return by key, with an optional fallback (the store) for cells the return does not hold,
/// such as the previous year's figures.
public struct CellIndex: CellLookup {
    public private(set) var cells: [CellKey: ReturnCell] = [:]
    public var fallback: (any CellLookup)?

    public init(fallback: (any CellLookup)? = nil) { self.fallback = fallback }

    /// Adds a cell, replacing any cell held under the same key.
    public mutating func insert(_ cell: ReturnCell) {
        cells[cell.key] = cell
    }

    public func cell(_ key: CellKey) -> ReturnCell? { cells[key] ?? fallback?.cell(key) }
}
