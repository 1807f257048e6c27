import CTSCore

/// The numbered texts of a store: slots (table, variable, breakdown), series and places. Read once when
/// an ingest begins (they are few: hundreds to thousands) and numbered as new ones come, inside the
/// ingest's transaction.
final class StoreNumbers {
    struct Slot: Hashable {
        var table: String
        var variable: String
        var breakdown: String
    }

    struct Series: Hashable {
        var indicator: String
        var series: String
        var iccs: String?
        var breakdown: String
    }

    typealias Place = ObservationTable.Place

    private var slots: [Slot: Int] = [:]
    private(set) var slotTexts: [Int: Slot] = [:]
    private var series: [Series: Int] = [:]
    private var places: [Place: Int] = [:]
    private let insertSlot: Statement
    private let insertSeries: Statement
    private let insertPlace: Statement
    private let db: Database

    init(db: Database) throws {
        self.db = db
        insertSlot = try db.statement("INSERT INTO slot (table_id, variable, breakdown) VALUES (?, ?, ?)")
        insertSeries = try db.statement(
            "INSERT INTO series (indicator, series, iccs, iccs_level, breakdown) VALUES (?, ?, ?, ?, ?)")
        insertPlace = try db.statement("INSERT INTO place (reporter, iso3, m49) VALUES (?, ?, ?)")
        try db.forEachRow("SELECT id, table_id, variable, breakdown FROM slot") { r in
            let slot = Slot(table: r.text(1), variable: r.text(2), breakdown: r.text(3))
            slots[slot] = Int(r.int64(0))
            slotTexts[Int(r.int64(0))] = slot
        }
        try db.forEachRow("SELECT id, indicator, series, iccs, breakdown FROM series") { r in
            series[
                Series(
                    indicator: r.text(1), series: r.text(2), iccs: r.isNull(3) ? nil : r.text(3), breakdown: r.text(4))] =
                Int(r.int64(0))
        }
        try db.forEachRow("SELECT id, reporter, iso3, m49 FROM place") { r in
            places[Place(reporter: r.text(1), iso3: r.text(2), m49: r.text(3))] = Int(r.int64(0))
        }
    }

    /// The id of a slot, numbering it if new.
    func slot(_ slot: Slot) throws -> Int {
        if let id = slots[slot] { return id }
        try insertSlot.execute(slot.table, slot.variable, slot.breakdown)
        let id = Int(db.lastInsertID)
        slots[slot] = id
        slotTexts[id] = slot
        return id
    }

    /// The id of the series of `o`, numbering it if new.
    func series(of o: borrowing Observation) throws -> Int {
        let key = Series(indicator: o.indicator, series: o.series, iccs: o.iccs?.rawValue, breakdown: o.breakdown)
        if let id = series[key] { return id }
        try insertSeries.execute(key.indicator, key.series, key.iccs, o.iccs?.level, key.breakdown)
        let id = Int(db.lastInsertID)
        series[key] = id
        return id
    }

    /// The id of `place`, numbering it if new.
    func place(_ place: Place) throws -> Int {
        if let id = places[place] { return id }
        try insertPlace.execute(place.reporter, place.iso3, place.m49)
        let id = Int(db.lastInsertID)
        places[place] = id
        return id
    }
}
