import CTSCore

/// One reporter's current cells in the store, as the checks of a later return read them (`CellLookup`):
/// held as numbers, 40 bytes a cell, and made into a `ReturnCell` only when a check asks for one, so that
/// a return checked against a store of millions of cells pays for the few the return does not hold.
/// Immutable once read; a cell is located in the stored return it came from.
public struct StoredCells: StoredReporter {
    /// What every reporter's cells share: the store's slots by their key, the stored returns by id.
    public final class Shared: Sendable {
        struct SlotKey: Hashable {
            var table: String
            var variable: String
            var breakdown: [String]
        }
        let slots: [SlotKey: Int64]
        /// `FILE (received DATE)` by submission id.
        let sources: [Int64: String]

        /// Reads the slots (with their breakdowns in the order of `dimensions`) and the submissions once.
        public init(store: Store, dimensions: [String]) throws {
            var slots: [SlotKey: Int64] = [:]
            try store.db.forEachRow("SELECT id, table_id, variable, breakdown FROM slot") { r in
                let codes = Observation.breakdownCodes(r.text(3))
                slots[SlotKey(table: r.text(1), variable: r.text(2), breakdown: dimensions.map { codes[$0] ?? "" })] =
                    r.int64(0)
            }
            var sources: [Int64: String] = [:]
            try store.db.forEachRow("SELECT id, file_name, received_at FROM submission") { r in
                sources[r.int64(0)] = "\(r.text(1)) (received \(r.text(2).prefix(10)))"
            }
            self.slots = slots
            self.sources = sources
        }
    }

    struct Cell: Sendable {
        var year: Int32
        var line: Int32
        var value: Double?
        var raw: String?
        var status: ObservationStatus
        var submission: Int64
    }

    let shared: Shared
    /// By slot id, each slot's cells by year.
    let series: [Int64: [Cell]]

    /// Reads `reporter`'s current cells (not withdrawn, not revised) in one pass over its index range.
    public init(store: Store, reporter: String, shared: Shared) throws {
        var series: [Int64: [Cell]] = [:]
        try store.db.forEachRow(
            """
            SELECT slot_id, year, value, raw_value, status, submission_id, line FROM cell_vintage
            WHERE reporter = ? AND ended_by IS NULL AND withdrawn = 0 ORDER BY slot_id, year
            """, [reporter]
        ) { r in
            series[r.int64(0), default: []].append(
                Cell(
                    year: Int32(truncatingIfNeeded: r.int64(1)), line: Int32(truncatingIfNeeded: r.int64(6)),
                    value: r.isNull(2) ? nil : r.double(2), raw: r.isNull(3) ? nil : r.text(3),
                    status: ObservationStatus(rawValue: r.text(4)) ?? .normal, submission: r.int64(5)))
        }
        self.shared = shared
        self.series = series
    }

    public func seriesNumber(_ key: CellKey) -> Int? {
        shared.slots[Shared.SlotKey(table: key.table, variable: key.variable, breakdown: key.breakdown)].map(Int.init)
    }

    public func figures(series number: Int) -> [StoredFigure] { (series[Int64(number)] ?? []).map(figure) }

    public func figure(series number: Int, year: Int) -> StoredFigure? {
        series[Int64(number)]?.last { $0.year == year }.map(figure)
    }

    public func storedValue(series number: Int, year: Int) -> (value: Double?, status: ObservationStatus)? {
        guard let c = series[Int64(number)]?.last(where: { $0.year == year }) else { return nil }
        return (c.value, c.status)
    }

    private func figure(_ c: Cell) -> StoredFigure {
        StoredFigure(
            year: Int(c.year), value: c.value, rawValue: Self.raw(c), status: c.status,
            source: shared.sources[c.submission] ?? "an earlier return", line: Int(c.line))
    }

    /// A raw value is kept only where it is not the figure's digits (`RawValue`).
    private static func raw(_ c: Cell) -> String { c.raw ?? c.value.map { String(Int64($0)) } ?? "" }

    public func cell(_ key: CellKey) -> ReturnCell? {
        guard let slot = seriesNumber(key), let f = figure(series: slot, year: key.year) else { return nil }
        return ReturnCell(
            key: key, value: f.value, rawValue: f.rawValue, status: f.status, note: "",
            location: SourceLocation(file: "stored " + f.source, line: f.line, column: 1))
    }
}
