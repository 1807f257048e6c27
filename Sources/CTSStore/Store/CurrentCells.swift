/// The current vintage of each cell of the reporter, table and year being ingested: what a new cell is
/// compared with, and revises or withdraws.
///
/// Loaded from the store's blocks when ingest comes to another reporter, table and year, unless the
/// reporter had no cells before this submission and the three have not come up in it yet (then there is
/// nothing to load). Kept up to date as cells are stored, so a cell given twice in one return revises
/// its first vintage.
final class CurrentCells {
    /// A cell within its reporter, table and year.
    struct Slot: Hashable {
        var variable: String
        var breakdown: String
        /// A 64-bit FNV-1a of the two texts (`code(variable:breakdown:)`), what the slot is hashed by:
        /// worked out on ingest's reading thread, so the storing thread hashes one number instead of
        /// two texts for every cell it looks up and records.
        var code: UInt64

        init(variable: String, breakdown: String, code: UInt64? = nil) {
            self.variable = variable
            self.breakdown = breakdown
            self.code = code ?? Self.code(variable: variable, breakdown: breakdown)
        }

        static func code(variable: String, breakdown: String) -> UInt64 {
            let hash = fnv(variable, from: 0xcbf2_9ce4_8422_2325)
            return fnv(breakdown, from: (hash ^ 0x1F) &* 0x100_0000_01b3)
        }

        private static func fnv(_ text: String, from start: UInt64) -> UInt64 {
            var text = text
            return text.withUTF8 { bytes in
                var hash = start
                for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
                return hash
            }
        }

        static func == (a: Slot, b: Slot) -> Bool {
            a.code == b.code && a.variable == b.variable && a.breakdown == b.breakdown
        }

        func hash(into hasher: inout Hasher) { hasher.combine(code) }
    }

    /// A stored vintage, as far as comparing with a new one needs.
    struct Vintage {
        var id: Int
        var action: String
        var raw: String
        var status: String
        var note: String
    }

    private struct Key: Hashable {
        var reporter: String
        var table: String
        var year: Int
    }

    private let db: Database
    private let hasHistory: [String: Bool]
    private var key: Key?
    private var seen = Set<Key>()
    /// The current vintages of the reporter, table and year last moved to.
    var vintages: [Slot: Vintage] = [:]

    /// For ingesting into `db`; `reporters` are those of the return (others are looked up when met).
    init(db: Database, reporters: [String]) throws {
        self.db = db
        var hasHistory: [String: Bool] = [:]
        for reporter in Set(reporters) {
            hasHistory[reporter] =
                try db.scalar("SELECT 1 FROM cell_block WHERE reporter = ? LIMIT 1", [reporter]) != nil
        }
        self.hasHistory = hasHistory
    }

    /// Makes `vintages` those of `reporter`, `table` and `year`. `writer` is asked to write its block
    /// first, so that what is loaded includes every cell stored so far.
    func move(reporter: String, table: String, year: Int, writer: CellBlockWriter) throws {
        let next = Key(reporter: reporter, table: table, year: year)
        if next == key { return }
        key = next
        vintages.removeAll(keepingCapacity: true)
        let known =
            try hasHistory[reporter]
            ?? (db.scalar("SELECT 1 FROM cell_block WHERE reporter = ? LIMIT 1", [reporter]) != nil)
        guard known || seen.contains(next) else {
            seen.insert(next)
            return
        }
        seen.insert(next)
        try writer.finish()
        var ranges: [ClosedRange<Int>] = []
        guard let slots = writer.slots else {
            throw DatabaseError(code: 1, message: "Current cells are compared through the store's cell slots.")
        }
        try db.forEachRow(
            "SELECT first_cell, cells FROM cell_block WHERE reporter = ? AND table_id = ? AND year = ? ORDER BY id",
            [reporter, table, year]
        ) { r in
            let first = Int(r.int64(0))
            var last = first - 1
            // Later vintages of a cell come in later blocks, or later in one: the last one stays.
            try CellBlock.forEach(in: r.textBytes(1)) { i, e in
                vintages[try slots.slot(e.slot)] = Vintage(
                    id: first + i, action: e.actionString, raw: e.rawString, status: e.status.string,
                    note: e.noteString)
                last = first + i
            }
            if last >= first { ranges.append(first...last) }
        }
        // A last vintage that ended is no current one.
        var ended = Set<Int>()
        for range in ranges {
            try db.forEachRow(
                "SELECT cell_id FROM cell_end WHERE cell_id BETWEEN ? AND ?", [range.lowerBound, range.upperBound]
            ) { ended.insert(Int($0.int64(0))) }
        }
        if !ended.isEmpty { vintages = vintages.filter { !ended.contains($0.value.id) } }
    }
}
