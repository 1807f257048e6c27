import CTSCore

extension Store {
    /// A reporter's current cell of a national-categories table, and the questionnaire of the return it
    /// came from (`ID/VERSION`).
    public struct StoredNationalCell: Sendable {
        public var cell: ReturnCell
        public var questionnaire: String
    }

    /// `reporter`'s current cells (not withdrawn, not revised) of the tables `tables`, as return cells
    /// keyed in the order of `dimensions`, located in the stored return they came from; by table,
    /// variable, breakdown and year.
    public func currentCells(reporter: String, tables: [String], dimensions: [String]) throws -> [StoredNationalCell] {
        guard !tables.isEmpty else { return [] }
        var result: [StoredNationalCell] = []
        let marks = tables.map { _ in "?" }.joined(separator: ", ")
        try db.forEachRow(
            """
            SELECT c.year, s.table_id, s.variable, s.breakdown, c.value, c.raw_value, c.status, c.note, c.line,
                b.file_name, b.questionnaire_id || '/' || b.questionnaire_version
            FROM cell_vintage c JOIN slot s ON s.id = c.slot_id JOIN submission b ON b.id = c.submission_id
            WHERE c.reporter = ? AND c.ended_by IS NULL AND c.withdrawn = 0 AND s.table_id IN (\(marks))
            ORDER BY s.table_id, s.variable, s.breakdown, c.year
            """, [reporter] + tables
        ) { r in
            let codes = Observation.breakdownCodes(r.text(3))
            let value: Double? = r.isNull(4) ? nil : r.double(4)
            let cell = ReturnCell(
                key: CellKey(
                    country: reporter, year: Int(r.int64(0)), table: r.text(1), variable: r.text(2),
                    breakdown: dimensions.map { codes[$0] ?? "" }),
                value: value, rawValue: r.isNull(5) ? (value.map { String(Int64($0)) } ?? "") : r.text(5),
                status: ObservationStatus(rawValue: r.text(6)) ?? .normal, note: r.text(7),
                location: SourceLocation(file: r.text(9), line: Int(r.int64(8)), column: 1))
            result.append(StoredNationalCell(cell: cell, questionnaire: r.text(10)))
        }
        return result
    }
}

extension Store {
    /// The reporters that have current figures, sorted.
    public func currentReporters() throws -> [String] {
        var reporters: [String] = []
        try db.forEachRow(
            "SELECT DISTINCT reporter FROM cell_vintage WHERE ended_by IS NULL AND withdrawn = 0 ORDER BY reporter"
        ) { reporters.append($0.text(0)) }
        return reporters
    }
}
