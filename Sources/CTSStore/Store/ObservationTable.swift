import CTSCore

/// The observations of a store at one time, read once in storage order into 32-byte rows whose texts
/// are numbered, then put in order in memory.
///
/// SQL `ORDER BY` over millions of observations made SQLite sort wide text records through temporary
/// files: most of an aggregation's time. Here each distinct text is ranked once (in SQLite's BINARY
/// order: bytes, NULL first) and the rows are sorted by numbers. Reading is O(n), ordering O(n log n),
/// memory 32 bytes per observation plus the distinct texts.
struct ObservationTable: Sendable {
    /// One observation, its texts as numbers into the tables below.
    struct Row: Sendable {
        var value: Double
        var series: UInt32
        /// 0 for none, else 1 + the index into `nationals`.
        var national: UInt32
        var submission: Int32
        var share: UInt32
        var year: Int32
        var place: UInt16
        var status: UInt8
        var hasValue: Bool
    }

    /// Who reported: reporter, country and M49 code.
    struct Place: Sendable, Hashable {
        var reporter: String
        var iso3: String
        var m49: String
    }

    /// What is counted: indicator, series, ICCS code and breakdown.
    struct Series: Sendable {
        var indicator: String
        var series: String
        var iccsText: String?
        var iccs: ICCSCode?
        var breakdown: String
        /// The table part of `series`: up to its first dot.
        var table: Substring { series.utf8.firstIndex(of: UInt8(ascii: ".")).map { series[..<$0] } ?? series[...] }
    }

    var rows: [Row] = []
    var places: [Place] = []
    var series: [Series] = []
    var nationals: [String] = []
    var shares: [Double] = []
    var statuses: [ObservationStatus] = []
    /// For each series, the number of its family (indicator, table, breakdown) in family order.
    var familyOf: [Int] = []
    /// The rows' positions in the order they were sorted into, when that order is kept beside them rather
    /// than by moving them (`sort(.byFamily)`); empty: the rows are in order as they are.
    var order: [UInt32] = []

    /// The row at `position` (0 ..< rows.count) of the sorted order.
    @inline(__always) func row(at position: Int) -> Row { order.isEmpty ? rows[position] : rows[Int(order[position])] }

    /// Checks what the table's parts promise each other (for tests): rows number existing texts, each
    /// series has a family, and a kept order takes every row once.
    func _checkInvariants() {
        precondition(familyOf.count == series.count, "a family number for each series")
        for r in rows {
            precondition(Int(r.series) < series.count && Int(r.place) < places.count, "rows number known texts")
            precondition(Int(r.status) < statuses.count && Int(r.share) < shares.count, "rows number known values")
            precondition(r.national == 0 || Int(r.national) <= nationals.count, "rows number known national codes")
        }
        guard !order.isEmpty else { return }
        precondition(order.count == rows.count, "the order takes every row")
        var seen = [Bool](repeating: false, count: rows.count)
        for p in order {
            precondition(!seen[Int(p)], "the order takes each row once")
            seen[Int(p)] = true
        }
    }

    /// Reads the observations valid at `asOf` (a `Timestamp`; nil: current) in one pass over the
    /// observation rows in cell order, each with its cell's year, submission and validity.
    ///
    /// A vintage is valid at `asOf` when its submission was received by then and no submission received
    /// by then ended it (`Store.lastSubmission`).
    init(db: Database, asOf: String?) throws {
        var seriesOf: [Int32] = []
        try db.forEachRow("SELECT id, indicator, series, iccs, breakdown FROM series ORDER BY id") { r in
            let id = Int(r.int64(0))
            guard id >= 0, id < 1 << 24 else {
                throw DatabaseError(code: 1, message: "The store's series \(id) is out of range.")
            }
            if seriesOf.count <= id { seriesOf += repeatElement(-1, count: id + 1 - seriesOf.count) }
            seriesOf[id] = Int32(series.count)
            let iccs = r.isNull(3) ? nil : r.text(3)
            series.append(
                Series(
                    indicator: r.text(1), series: r.text(2), iccsText: iccs, iccs: iccs.flatMap(ICCSCode.init),
                    breakdown: r.text(4)))
        }
        var placeOf: [Int32] = []
        try db.forEachRow("SELECT id, reporter, iso3, m49 FROM place ORDER BY id") { r in
            let id = Int(r.int64(0))
            guard id >= 0, id < 1 << 24, places.count <= Int(UInt16.max) else {
                throw DatabaseError(code: 1, message: "The store has more places than an observation row can number.")
            }
            if placeOf.count <= id { placeOf += repeatElement(-1, count: id + 1 - placeOf.count) }
            placeOf[id] = Int32(places.count)
            places.append(Place(reporter: r.text(1), iso3: r.text(2), m49: r.text(3)))
        }
        let last = try Store.lastSubmission(db, asOf: asOf)
        // Room for a row per cell vintage ever stored (each has one observation, or a few when a national
        // category is split), asked for up front: grown by doubling, the rows would be held twice for a
        // moment, the largest part of the peak memory of aggregate and export. Room not filled costs
        // address space, not memory.
        let vintages = try db.rows("SELECT max(id) FROM cell_vintage").first?[0].int ?? 0
        var reader = RowReader(table: self, seriesOf: seriesOf, placeOf: placeOf)
        // On the reader's own table, whose rows no other copy shares: a shared array would be copied,
        // room and all, at the first row.
        reader.table.rows.reserveCapacity(max(0, vintages))
        // The cells are scanned in id order, each cell's observations found by the primary key that starts
        // with its id: both tables are read front to back. (Left to itself, SQLite may walk an index of
        // either table and look rows up all over the file.)
        try db.forEachRow(
            """
            SELECT c.submission_id, c.year, o.series_id, o.place_id, o.value, o.status, o.national_code, o.share
            FROM cell_vintage c NOT INDEXED CROSS JOIN observation o ON o.cell_id = c.id
            WHERE c.submission_id <= ?1 AND (c.ended_by IS NULL OR c.ended_by > ?1)
            """, [last]
        ) { try reader.add($0) }
        self = reader.table
        numberFamilies()
    }

    /// Numbers each series' family (indicator, table: every breakdown of a table together) in family order.
    private mutating func numberFamilies() {
        let texts = seriesRanks()
        familyOf = Self.ranks(series.indices) { a, b in
            (texts.indicator[a], texts.table[a]) < (texts.indicator[b], texts.table[b])
        }
    }

    /// Each series' texts as their ranks among the distinct texts of their field (`textRanks`), so that
    /// series compare by numbers: a table has tens of thousands of series but few distinct texts.
    struct SeriesRanks {
        var indicator: [Int]
        var table: [Int]
        var breakdown: [Int]
        var name: [Int]
        var iccs: [Int]
    }

    func seriesRanks() -> SeriesRanks {
        SeriesRanks(
            indicator: Self.textRanks(series.map { $0.indicator[...] }), table: Self.textRanks(series.map(\.table)),
            breakdown: Self.textRanks(series.map { $0.breakdown[...] }),
            name: Self.textRanks(series.map { $0.series[...] }), iccs: Self.textRanks(series.map { $0.iccsText?[...] }))
    }

    /// For each text, its rank among the distinct texts in SQLite's BINARY order (bytes; nil first);
    /// texts with the same bytes share a rank. O(n + d log d) for d distinct texts.
    static func textRanks(_ texts: [Substring?]) -> [Int] {
        var number: [[UInt8]: Int] = [:]
        var distinct: [Substring?] = [nil]
        let ids = texts.map { text -> Int in
            guard let text else { return 0 }
            let bytes = Array(text.utf8)
            if let known = number[bytes] { return known }
            distinct.append(text)
            number[bytes] = distinct.count - 1
            return distinct.count - 1
        }
        let rank = ranks(distinct.indices) { precedes([distinct[$0]], [distinct[$1]]) }
        return ids.map { rank[$0] }
    }

    /// For each index, its rank in the order `precedes` gives (equal items share a rank).
    static func ranks(_ indices: Range<Int>, _ precedes: (Int, Int) -> Bool) -> [Int] {
        let sorted = indices.sorted(by: precedes)
        var rank = [Int](repeating: 0, count: indices.count)
        var current = 0
        for (i, index) in sorted.enumerated() {
            if i > 0 && precedes(sorted[i - 1], index) { current += 1 }
            rank[index] = current
        }
        return rank
    }

    /// SQLite's BINARY order of texts, field by field; nil (NULL) before any text.
    static func precedes(_ a: [Substring?], _ b: [Substring?]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (nil, nil): continue
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if x.utf8.elementsEqual(y.utf8) { continue }
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            }
        }
        return false
    }
}
