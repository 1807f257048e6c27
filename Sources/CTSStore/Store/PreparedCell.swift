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
