import CTSCore

/// A cell made ready to be stored, on whichever thread reads the return: its normalized observations,
/// what became of a national figure, its breakdown text and its slot's hash code. The storing thread then
/// compares, fingerprints, numbers and writes: the two threads' shares of the work are about even.
public struct PreparedCell: Sendable {
    public let cell: ReturnCell
    public let observations: [Observation]
    public let national: Normalizer.NationalMapping?
    /// The breakdown as stored: `dim=code` pairs (`Observation.breakdownText`).
    let breakdown: String
    /// What the cell's slot among the current vintages is hashed by (`CurrentCells.Slot.code`).
    let slotCode: UInt64

    /// Normalizes `cell` with `normalizer`.
    public init(_ cell: consuming ReturnCell, normalizer: Normalizer) {
        let (observations, national) = normalizer.observations(for: cell)
        self.init(cell, observations: observations, national: national, dimensions: normalizer.dimensions)
    }

    /// Normalizes `cell`, whose packed key is `key`, with `normalizer`, taking its breakdown text and slot
    /// code from `slots` (made there once for every cell of its variable and breakdown).
    init(_ cell: consuming ReturnCell, key: PackedCellKey, normalizer: Normalizer, slots: inout SlotCache) {
        let slot = slots.slot(of: cell, key: key, dimensions: normalizer.dimensions)
        let (observations, national) = normalizer.observations(for: cell, breakdown: slot.breakdown)
        self.observations = observations
        self.national = national
        breakdown = slot.breakdown
        slotCode = slot.code
        self.cell = cell
    }

    /// Prepares the cells of one reading of a return, keeping their slots (`SlotCache`). A class, so that
    /// the normalizer is read where it lies for every cell: a `Normalizer` captured by the reading
    /// closure was copied per cell, retaining and releasing each of its tables.
    public final class Preparer {
        public let normalizer: Normalizer
        private var slots = SlotCache()

        public init(normalizer: Normalizer) { self.normalizer = normalizer }

        /// The cell `cell`, whose packed key is `key`, made ready to be stored.
        public func prepare(_ cell: consuming ReturnCell, key: PackedCellKey) -> PreparedCell {
            PreparedCell(cell, key: key, normalizer: normalizer, slots: &slots)
        }
    }

    /// What every cell of one variable and breakdown shares: its breakdown text and slot code.
    struct Slot: Sendable {
        let breakdown: String
        let code: UInt64
    }

    /// Slots by the variable and breakdown numbers of a packed key, for one reading of a return: cells of
    /// every country and year share them. A lookup hashes two integers, where making a slot writes the
    /// breakdown text and hashes it and the variable's id.
    struct SlotCache {
        private struct Key: Hashable {
            var variable: Int
            var breakdown: UInt64
        }
        private var slots: [Key: Slot] = [:]

        mutating func slot(of cell: borrowing ReturnCell, key packed: PackedCellKey, dimensions: [String]) -> Slot {
            let key = Key(variable: packed.variable, breakdown: packed.breakdown)
            if let slot = slots[key] { return slot }
            let breakdown = Observation.breakdownText(dimensions: dimensions, codes: cell.key.breakdown)
            let slot = Slot(
                breakdown: breakdown, code: CurrentCells.Slot.code(variable: cell.key.variable, breakdown: breakdown))
            slots[key] = slot
            return slot
        }
    }

    /// `cell` with observations and a national mapping made already; `dimensions` are the questionnaire's.
    public init(
        _ cell: consuming ReturnCell, observations: consuming [Observation], national: Normalizer.NationalMapping?,
        dimensions: [String]
    ) {
        // The cell is read where it is and moved in last: a copy would retain and release each of its texts.
        // The normalizer has written the cell's breakdown text into its observations already.
        let breakdown =
            observations.first?.breakdown
            ?? Observation.breakdownText(dimensions: dimensions, codes: cell.key.breakdown)
        slotCode = CurrentCells.Slot.code(variable: cell.key.variable, breakdown: breakdown)
        self.breakdown = breakdown
        self.observations = observations
        self.national = national
        self.cell = cell
    }
}
