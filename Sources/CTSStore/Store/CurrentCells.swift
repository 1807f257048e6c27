/// The current vintage of each cell of the reporter being ingested: what a new cell is compared with,
/// and revises or withdraws.
///
/// Loaded from the store (one indexed read) when ingest comes to a reporter that has history, or that
/// came up earlier in this submission (its cells stored so far are then read back); a reporter new to
/// the store starts empty. Kept up to date as cells are stored, so a cell given twice in one return
/// revises its first vintage. Memory holds one reporter's current cells.
final class CurrentCells {
    /// A cell of the reporter: its slot and year.
    struct Key: Hashable {
        var slot: Int
        var year: Int
    }

    /// A stored vintage, as far as comparing with a new one, and fingerprinting it when it ends, needs.
    struct Vintage {
        var id: Int
        var withdrawn: Bool
        var raw: String
        var status: String
        var note: String
    }

    private let db: Database
    private var reporter: String?
    private var seen = Set<String>()
    /// The current vintages of the reporter last moved to.
    var vintages: [Key: Vintage] = [:]

    init(db: Database) { self.db = db }

    /// Makes `vintages` those of `reporter`.
    func move(to reporter: String) throws {
        if reporter == self.reporter { return }
        self.reporter = reporter
        vintages.removeAll(keepingCapacity: true)
        let earlier = !seen.insert(reporter).inserted
        let stored =
            try earlier || db.scalar("SELECT 1 FROM cell_vintage WHERE reporter = ? LIMIT 1", [reporter]) != nil
        guard stored else { return }
        try db.forEachRow(
            """
            SELECT id, slot_id, year, withdrawn, value, raw_value, status, note FROM cell_vintage
            WHERE reporter = ? AND ended_by IS NULL ORDER BY id
            """, [reporter]
        ) { r in
            let value = r.isNull(4) ? nil : r.double(4)
            vintages[Key(slot: Int(r.int64(1)), year: Int(r.int64(2)))] = Vintage(
                id: Int(r.int64(0)), withdrawn: r.int64(3) != 0,
                raw: RawValue.read(stored: r.isNull(5) ? nil : r.text(5), value: value), status: r.text(6),
                note: r.text(7))
        }
    }
}
