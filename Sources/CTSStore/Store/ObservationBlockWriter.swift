import CTSCore

/// Writes the observations of one submission into `observation_block` rows: one per run of observations
/// of one reporter and year (at most `capacity` each), their series numbered in `observation_series`.
///
/// One SQLite row per few hundred figures instead of one per figure: ingest's single largest cost was
/// inserting observation rows and their index entries. Used inside the submission's transaction; `finish`
/// writes the last block.
final class ObservationBlockWriter {
    private let db: Database
    private let submission: Int
    private let validFrom: String
    private let capacity: Int
    private let insertBlock: Statement
    private let insertSeries: Statement
    /// Series ids by indicator, series, ICCS code and breakdown.
    private var seriesIDs: [SeriesKey: Int] = [:]
    private var block: (reporter: String, iso3: String, m49: String, year: Int)?
    private var json: ByteWriter
    private var count = 0
    /// Each series' key by its id (an empty key where the store has no series of that id).
    private var keyOf: [SeriesKey] = []
    /// A return lists every country-year's cells in the same order, so a block's series mostly follow one
    /// another as in the block before: the series after the last one found there is tried first, by
    /// comparing its texts, before a series is looked up by hashing them (1,500 instructions a figure).
    private var previousSeries: [Int] = []
    private var currentSeries: [Int] = []
    /// Where each series first comes in `previousSeries`, and the place to try next.
    private var previousPlace: [Int: Int] = [:]
    private var next = 0

    /// What an `observation_series` row holds, but the ICCS level (which the code gives).
    struct SeriesKey: Hashable {
        var indicator: String
        var series: String
        var iccs: String?
        var breakdown: String
    }

    /// Whether every observation keeps its national code and share, as store versions 3 to 5 wrote them
    /// (version 3's migration only).
    private let everyShare: Bool

    /// Prepares to write blocks of `submission` valid from `validFrom`, at most `capacity` observations
    /// each; with `everyShare`, as store versions 3 to 5 wrote them.
    init(db: Database, submission: Int, validFrom: String, capacity: Int = 4096, everyShare: Bool = false) throws {
        self.everyShare = everyShare
        self.db = db
        self.submission = submission
        self.validFrom = validFrom
        self.capacity = capacity
        json = ByteWriter(capacity: 64 * capacity)
        insertBlock = try db.statement(
            """
            INSERT INTO observation_block (submission_id, reporter, iso3, m49, year, valid_from, size, observations)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertSeries = try db.statement(
            "INSERT INTO observation_series (indicator, series, iccs, iccs_level, breakdown) VALUES (?, ?, ?, ?, ?)")
        try db.forEachRow("SELECT id, indicator, series, iccs, breakdown FROM observation_series") { r in
            let key = SeriesKey(
                indicator: r.column(1).string ?? "", series: r.column(2).string ?? "", iccs: r.column(3).string,
                breakdown: r.column(4).string ?? "")
            seriesIDs[key] = Int(r.int64(0))
            number(key, as: Int(r.int64(0)))
        }
    }

    /// Adds the observation `o` points at, of the cell `cell` (its row id). Read where it lies: an
    /// observation handed over by value is copied, retaining and releasing each of its texts.
    func add(_ o: UnsafePointer<Observation>, cell: Int) throws {
        try begin(reporter: o.pointee.reporter, iso3: o.pointee.iso3, m49: o.pointee.m49, year: o.pointee.year)
        let series: Int
        let iccs = o.pointee.iccs?.rawValue
        if next < previousSeries.count, keyOf[previousSeries[next]].series == o.pointee.series,
            keyOf[previousSeries[next]].breakdown == o.pointee.breakdown, keyOf[previousSeries[next]].iccs == iccs,
            keyOf[previousSeries[next]].indicator == o.pointee.indicator
        {
            series = previousSeries[next]
            next += 1
        } else {
            series = try seriesID(
                SeriesKey(
                    indicator: o.pointee.indicator, series: o.pointee.series, iccs: iccs, breakdown: o.pointee.breakdown
                ),
                level: o.pointee.iccs?.level)
        }
        append(
            cell: cell, series: series, value: o.pointee.value, status: o.pointee.status.rawValue,
            national: o.pointee.nationalCode, share: o.pointee.share)
    }

    /// Adds one observation given column by column, as the `observation` view shows it.
    func add(
        cell: Int, reporter: String, iso3: String, m49: String, year: Int, series key: SeriesKey, level: Int?,
        value: Double?, status: String, national: String?, share: Double
    ) throws {
        try begin(reporter: reporter, iso3: iso3, m49: m49, year: year)
        let series = try seriesID(key, level: level)
        append(cell: cell, series: series, value: value, status: status, national: national, share: share)
    }

    /// Writes the block being filled first when the next observation cannot join it.
    private func begin(reporter: String, iso3: String, m49: String, year: Int) throws {
        if let b = block,
            b.reporter != reporter || b.year != year || b.iso3 != iso3 || b.m49 != m49
                || count == capacity
        {
            try flush()
        }
        if block == nil { block = (reporter, iso3, m49, year) }
    }

    private func append(cell: Int, series: Int, value: Double?, status: String, national: String?, share: Double) {
        ObservationBlock.append(
            cell: cell, series: series, value: value, status: status, national: national, share: share,
            always: everyShare, to: &json)
        currentSeries.append(series)
        count += 1
    }

    /// Writes the block being filled, if any.
    func finish() throws { try flush() }

    private func flush() throws {
        guard let b = block else { return }
        ObservationBlock.close(&json)
        try insertBlock.execute(
            submission, b.reporter, b.iso3, b.m49, b.year, validFrom, count,
            json.withBytes { String(decoding: $0, as: UTF8.self) })
        json.removeAll()
        count = 0
        block = nil
        swap(&previousSeries, &currentSeries)
        currentSeries.removeAll(keepingCapacity: true)
        previousPlace.removeAll(keepingCapacity: true)
        for (place, id) in previousSeries.enumerated().reversed() { previousPlace[id] = place }
        next = 0
    }

    /// Records `key` as the series numbered `id`.
    private func number(_ key: SeriesKey, as id: Int) {
        guard id >= 0 else { return }
        if keyOf.count <= id {
            keyOf += repeatElement(
                SeriesKey(indicator: "", series: "", iccs: nil, breakdown: ""), count: id + 1 - keyOf.count)
        }
        keyOf[id] = key
    }

    /// The id of the series `key` (made if new); the series after it in the block before is tried next.
    private func seriesID(_ key: SeriesKey, level: Int?) throws -> Int {
        let id: Int
        if let known = seriesIDs[key] {
            id = known
        } else {
            try insertSeries.execute(key.indicator, key.series, key.iccs, level, key.breakdown)
            id = Int(db.lastInsertID)
            seriesIDs[key] = id
            number(key, as: id)
        }
        next = (previousPlace[id] ?? (next - 1)) + 1
        return id
    }
}
