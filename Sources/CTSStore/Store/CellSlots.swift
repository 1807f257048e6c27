/// The rows of `cell_slot`: each table, variable and breakdown that cells were stored for, numbered once
/// for every reporter and year, so that a block's cell names its slot by number instead of by its texts.
///
/// Loaded whole when ingest starts (a store has a few thousand slots) and added to as new ones come,
/// inside the submission's transaction. Looking up a slot hashes one number (`CurrentCells.Slot.code`);
/// the slots of the table last asked for are kept at hand, as a block's cells share their table.
final class CellSlots {
    typealias Slot = CurrentCells.Slot

    private let insert: Statement
    /// Slot ids by table, but for the table at hand.
    private var byTable: [String: [Slot: Int]] = [:]
    private var table = ""
    private var ids: [Slot: Int] = [:]
    /// Every slot by id.
    private var slots: [Int: Slot] = [:]
    private var nextID = 1

    /// The slots of `db`.
    init(db: Database) throws {
        insert = try db.statement("INSERT INTO cell_slot (id, table_id, variable, breakdown) VALUES (?, ?, ?, ?)")
        try db.forEachRow("SELECT id, table_id, variable, breakdown FROM cell_slot") { r in
            let id = Int(r.int64(0))
            let slot = Slot(variable: r.column(2).string ?? "", breakdown: r.column(3).string ?? "")
            byTable[r.column(1).string ?? "", default: [:]][slot] = id
            slots[id] = slot
            nextID = max(nextID, id + 1)
        }
        ids = byTable.removeValue(forKey: table) ?? [:]
    }

    /// The id of `slot` of `table`, numbered and stored if it is new.
    func id(table: String, slot: Slot) throws -> Int {
        if table != self.table {
            byTable[self.table] = ids
            ids = byTable.removeValue(forKey: table) ?? [:]
            self.table = table
        }
        if let id = ids[slot] { return id }
        let id = nextID
        nextID += 1
        try insert.execute(id, table, slot.variable, slot.breakdown)
        ids[slot] = id
        slots[id] = slot
        return id
    }

    /// The variable and breakdown of slot `id`.
    func slot(_ id: Int64) throws -> Slot {
        guard let slot = slots[Int(id)] else {
            throw DatabaseError(code: 1, message: "A cell block names cell slot \(id), which the store lacks.")
        }
        return slot
    }
}
