import CTSCore

/// Writes cell vintages into `cell_block` rows: one per run of cells of one submission, reporter, table
/// and year (at most `capacity` each, and ending once its text passes `maxBytes`) whose ids follow one
/// another.
///
/// Cells are numbered from the store's next id on, so a cell's id is its block's `first_cell` plus its
/// place. One SQLite row per few hundred cells instead of a row and an index entry per cell. Used
/// inside the submission's transaction; `finish` writes the last block.
final class CellBlockWriter {
    private let submission: Int
    private let validFrom: String
    private let capacity: Int
    /// A block ends once its text passes this many bytes. SQLite fills a page with whole rows: blocks of
    /// at most a quarter of a 16 KB page leave little of one empty, where blocks of 7.5 KB (a table with
    /// 320 cells) left a third of the store's pages unused.
    private let maxBytes: Int
    private let insertBlock: Statement
    /// The id the next cell gets unless one is given.
    private(set) var nextID: Int
    private var block: (reporter: String, table: String, year: Int, first: Int)?
    private var json: ByteWriter
    private var count = 0
    /// The fingerprint sum of the block's reported figures (`FingerprintSum`), and a line's buffer.
    private var fingerprint = FingerprintSum()
    private var figureLine = ByteWriter(capacity: 128)
    /// The store's cell slots, which blocks name their cells' variable and breakdown by; nil when
    /// writing blocks as store version 4 did (its migration only).
    let slots: CellSlots?

    /// Prepares to write blocks of `submission` valid from `validFrom`, at most `capacity` cells each;
    /// with `textsInBlocks`, as store version 4 wrote them (`CellBlock.V4`).
    init(
        db: Database, submission: Int, validFrom: String, capacity: Int = 4096, maxBytes: Int = 4000,
        textsInBlocks: Bool = false
    ) throws {
        self.maxBytes = maxBytes
        slots = textsInBlocks ? nil : try CellSlots(db: db)
        self.submission = submission
        self.validFrom = validFrom
        self.capacity = capacity
        insertBlock = try db.statement(
            """
            INSERT INTO cell_block (submission_id, reporter, year, table_id, valid_from, first_cell, size, fingerprint,
                cells)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Blocks are written in id order, so the last block ends the ids given out.
        nextID = try db.scalar("SELECT first_cell + size FROM cell_block ORDER BY id DESC LIMIT 1")?.int ?? 1
        json = ByteWriter(capacity: 64 * capacity)
    }

    /// Adds a cell as `id` (the next id when nil) and returns its id. Ids must only grow. Its slot's hash
    /// `slotCode` is worked out here unless given (`PreparedCell`).
    @discardableResult
    func add(
        id given: Int? = nil, reporter: String, table: String, year: Int, variable: String, breakdown: String,
        action: String, value: Double?, raw: String, status: String, note: String, line: Int,
        slotCode: UInt64? = nil
    ) throws -> Int {
        let id = given ?? nextID
        if let b = block,
            b.first + count != id || count == capacity || json.count >= maxBytes || b.year != year
                || b.reporter != reporter
                || b.table != table
        {
            try finish()
        }
        if block == nil { block = (reporter, table, year, id) }
        if let slots {
            let slot = try slots.id(
                table: table, slot: CellSlots.Slot(variable: variable, breakdown: breakdown, code: slotCode))
            CellBlock.append(
                slot: slot, line: line, value: value, status: status, raw: raw, note: note, action: action, to: &json)
        } else {
            CellBlock.V4.append(
                variable: variable, breakdown: breakdown, action: action, value: value, raw: raw, status: status,
                note: note, line: line, to: &json)
        }
        count += 1
        nextID = max(nextID, id + 1)
        if action == "report" {
            fingerprint.add(
                digest: FingerprintSum.digest(
                    reporter: reporter, year: year, table: table, variable: variable, breakdown: breakdown,
                    raw: raw, status: status, note: note, line: &figureLine))
        }
        return id
    }

    /// Writes the block being filled, if any.
    func finish() throws {
        guard let b = block else { return }
        BlockJSON.close(&json)
        try insertBlock.execute(
            submission, b.reporter, b.year, b.table, validFrom, b.first, count, fingerprint.hex,
            json.withBytes { String(decoding: $0, as: UTF8.self) })
        json.removeAll()
        count = 0
        fingerprint = FingerprintSum()
        block = nil
    }
}
