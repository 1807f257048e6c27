import CTSCore

/// The SQLite store of submissions, their findings, every vintage of every cell, and normalized
/// observations, as plain rows (docs/STORE.md). A return is stored in one transaction: wholly or not at
/// all.
public final class Store {
    public let db: Database

    /// Opens (creating if needed) the store at `path` and brings its schema up to date (`Migrations`).
    public init(path: String) throws {
        db = try Database(path: path)
        try Migrations.migrate(db)
    }

    /// The submission with these bytes, if already ingested: its id, when it was received, its file and
    /// the errors and warnings it was stored with.
    public func submission(sha256: String) throws -> (
        id: Int, receivedAt: String, fileName: String, errors: Int, warnings: Int
    )? {
        guard
            let row = try db.rows(
                "SELECT id, received_at, file_name, errors, warnings FROM submission WHERE sha256 = ?", [sha256]
            ).first
        else { return nil }
        return (row[0].int ?? 0, row[1].string ?? "", row[2].string ?? "", row[3].int ?? 0, row[4].int ?? 0)
    }

    /// Every vintage of the cells of `reporter`, optionally of one year and one variable (`variable` or
    /// `table.variable`), oldest first. A withdrawal shows no status: none was sent with it.
    public func history(reporter: String, year: Int? = nil, variable: String? = nil) throws -> [CellVintage] {
        var sql = """
            SELECT c.reporter, c.year, c.table_id, c.variable, c.breakdown, c.action, c.raw_value,
                CASE c.action WHEN 'withdraw' THEN '' ELSE c.status END, c.note,
                c.valid_from, c.valid_to, c.submission_id, s.file_name, c.line, c.sheet_cell
            FROM cell c JOIN submission s ON s.id = c.submission_id
            WHERE c.reporter = ?
            """
        var values: [any SQLBindable] = [reporter]
        if let year {
            sql += " AND c.year = ?"
            values.append(year)
        }
        if let variable {
            let parts = variable.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                sql += " AND c.table_id = ? AND c.variable = ?"
                values += [parts[0], parts[1]]
            } else {
                sql += " AND c.variable = ?"
                values.append(variable)
            }
        }
        sql += " ORDER BY c.table_id, c.variable, c.year, c.breakdown, c.valid_from, c.id"
        return try db.rows(sql, values).map { r in
            CellVintage(
                reporter: r[0].string ?? "", year: r[1].int ?? 0, table: r[2].string ?? "", variable: r[3].string ?? "",
                breakdown: r[4].string ?? "", action: r[5].string ?? "", rawValue: r[6].string ?? "",
                status: r[7].string ?? "", note: r[8].string ?? "", validFrom: r[9].string ?? "",
                validTo: r[10].string, submissionID: r[11].int ?? 0, fileName: r[12].string ?? "", line: r[13].int ?? 0,
                sheetCell: r[14].string)
        }
    }

    /// The current figures of `reporter`, by cell key (breakdowns in the order of `dimensions`).
    public func currentValues(reporter: String, dimensions: [String]) throws -> [CellKey: Double] {
        var result: [CellKey: Double] = [:]
        try db.forEachRow(
            """
            SELECT c.year, s.table_id, s.variable, s.breakdown, c.value FROM cell_vintage c JOIN slot s ON s.id = c.slot_id
            WHERE c.reporter = ? AND c.ended_by IS NULL AND c.withdrawn = 0 AND c.value IS NOT NULL
            """, [reporter]
        ) { r in
            let codes = Observation.breakdownCodes(r.text(3))
            let key = CellKey(
                country: reporter, year: Int(r.int64(0)), table: r.text(1), variable: r.text(2),
                breakdown: dimensions.map { codes[$0] ?? "" })
            result[key] = r.double(4)
        }
        return result
    }

    /// A stored submission, as listed in metadata.
    public struct SubmissionSummary: Sendable, Equatable, Encodable {
        public var id: Int
        public var file: String
        public var sha256: String
        public var questionnaire: String
        public var receivedAt: String
        public var outcome: String

        private enum CodingKeys: String, CodingKey {
            // The received time is left out of metadata: it is in the store, and outputs made from the same
            // returns should not differ by when they were loaded.
            case id, file, sha256, questionnaire, outcome
        }
    }

    /// A fingerprint of the figures valid at `asOf` (now when nil): the SHA-256 of the sum of every valid
    /// reported cell's own SHA-256 (over its key, value as written, status and note; `FingerprintSum`). The
    /// same figures give the same fingerprint, whenever and in whatever order they were loaded.
    /// O(submissions): each keeps its part of the sum (`Fingerprints`).
    public func contentHash(asOf: String? = nil) throws -> String { try Fingerprints.vintage(db, asOf: asOf) }

    /// The submissions received up to `asOf` (all when nil), oldest first.
    public func submissions(asOf: String? = nil) throws -> [SubmissionSummary] {
        try db.rows(
            """
            SELECT id, file_name, sha256, questionnaire_id || '/' || questionnaire_version, received_at, outcome
            FROM submission WHERE ? IS NULL OR received_at <= ? ORDER BY id
            """, [asOf, asOf]
        ).map {
            SubmissionSummary(
                id: $0[0].int ?? 0, file: $0[1].string ?? "", sha256: $0[2].string ?? "",
                questionnaire: $0[3].string ?? "", receivedAt: $0[4].string ?? "", outcome: $0[5].string ?? "")
        }
    }

    /// The last submission received by `asOf` (the last of all when nil); 0 when there is none. Received
    /// times never go back as ids grow (ingest refuses a return dated before the latest), so the vintages
    /// valid at `asOf` are those of submissions up to this one that no submission up to it ended.
    static func lastSubmission(_ db: Database, asOf: String?) throws -> Int {
        try db.scalar("SELECT coalesce(max(id), 0) FROM submission WHERE ? IS NULL OR received_at <= ?", [asOf, asOf])?
            .int ?? 0
    }

    /// The time of the latest submission, if any.
    func latestTime() throws -> String? {
        try db.scalar("SELECT max(received_at) FROM submission")?.string
    }
}
