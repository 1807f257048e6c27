import CTSCore

/// A cell made ready to be stored, on whichever thread reads the return: its normalized observations,
/// what became of a national figure, its breakdown text and its fingerprint digest. The storing thread
/// then compares, numbers and writes.
public struct PreparedCell: Sendable {
    public let cell: ReturnCell
    public let observations: [Observation]
    public let national: Normalizer.NationalMapping?
    /// The breakdown as stored: `dim=code` pairs (`Observation.breakdownText`).
    let breakdown: String
    /// The digest the cell adds to the store's fingerprint (`FingerprintSum`); nil for a withdrawal.
    let digest: FingerprintSum.Digest?

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
        var line = ByteWriter(capacity: 128)
        let breakdown =
            observations.first?.breakdown
            ?? Observation.breakdownText(dimensions: dimensions, codes: cell.key.breakdown)
        self.init(cell, observations: observations, national: national, breakdown: breakdown, line: &line)
    }

    private init(
        _ cell: consuming ReturnCell, observations: consuming [Observation], national: Normalizer.NationalMapping?,
        breakdown: String, line: inout ByteWriter
    ) {
        digest =
            cell.isWithdrawal
            ? nil
            : FingerprintSum.digest(
                reporter: cell.key.country, year: cell.key.year, table: cell.key.table, variable: cell.key.variable,
                breakdown: breakdown, raw: cell.rawValue, status: cell.status.rawValue, note: cell.note, line: &line)
        self.breakdown = breakdown
        self.observations = observations
        self.national = national
        self.cell = cell
    }

    /// Prepares the cells of one reading of a return. A class, so that the normalizer is read where it
    /// lies for every cell (a `Normalizer` captured by the reading closure was copied per cell), and the
    /// breakdown text of each variable and breakdown is made once.
    public final class Preparer {
        public let normalizer: Normalizer
        private var breakdowns: [BreakdownKey: String] = [:]
        private var line = ByteWriter(capacity: 128)

        private struct BreakdownKey: Hashable {
            var variable: Int
            var breakdown: UInt64
        }

        public init(normalizer: Normalizer) { self.normalizer = normalizer }

        /// The cell `cell`, whose packed key is `key`, made ready to be stored.
        public func prepare(_ cell: consuming ReturnCell, key: PackedCellKey) -> PreparedCell {
            let k = BreakdownKey(variable: key.variable, breakdown: key.breakdown)
            let breakdown: String
            if let known = breakdowns[k] {
                breakdown = known
            } else {
                breakdown = Observation.breakdownText(dimensions: normalizer.dimensions, codes: cell.key.breakdown)
                breakdowns[k] = breakdown
            }
            let (observations, national) = normalizer.observations(for: cell, breakdown: breakdown)
            return PreparedCell(
                cell, observations: observations, national: national, breakdown: breakdown, line: &line)
        }
    }
}
