import CTSCore

/// The SQLite store of submissions, their findings, every vintage of every cell, and normalized
/// observations. A return is stored in one transaction: wholly or not at all.
public final class Store {
    public let db: Database

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        db = try Database(path: path)
        try Migrations.migrate(db)
    }

    /// The submission with these bytes, if already ingested: its id and when it was received.
    public func submission(sha256: String) throws -> (id: Int, receivedAt: String, fileName: String)? {
        guard
            let row = try db.rows("SELECT id, received_at, file_name FROM submission WHERE sha256 = ?", [sha256]).first
        else { return nil }
        return (row[0].int ?? 0, row[1].string ?? "", row[2].string ?? "")
    }

    /// Stores a return. The same bytes a second time change nothing. Later cells for the same key revise
    /// the current vintage (which keeps its figure as history); withdrawals close it.
    public func ingest(_ request: IngestRequest) throws -> IngestResult {
        try ingest(request) { put in
            for (i, cell) in request.cells.enumerated() {
                try put(cell, request.observations[i] ?? [], request.national[i])
            }
        }
    }

    /// Stores a return whose cells `cells` hands over one at a time, inside the store's transaction, to the
    /// function it is given. Memory then holds one cell at a time; an error `cells` throws rolls the whole
    /// return back.
    public func ingest(_ request: IngestRequest, cells: (_ store: IngestRequest.CellSink) throws -> Void) throws
        -> IngestResult
    {
        try db.transaction {
            if let existing = try submission(sha256: request.sha256) {
                return IngestResult(submissionID: existing.id, alreadyIngested: true, receivedAt: existing.receivedAt)
            }
            let latest = try vintage()
            let time: String
            if let given = request.receivedAt {
                if let latest, given < latest {
                    throw InputError(
                        "\(request.fileName) is dated \(given), before the latest submission in the store "
                            + "(\(latest)). History is kept in the order returns arrive.",
                        code: "store.out-of-order",
                        fix: "Ingest older returns first, or leave out --received-at to use the current time.")
                }
                time = given
            } else {
                // Never earlier than what is stored, even if this machine's clock is behind another's.
                time = max(Timestamp.now(), latest ?? "")
            }
            let errors = request.findings.filter { $0.kind == .failed && $0.severity == .error }.count
            let warnings = request.findings.filter { $0.kind == .failed && $0.severity == .warning }.count
            try db.run(
                """
                INSERT INTO submission (file_name, sha256, reporters, questionnaire_id, questionnaire_version,
                    received_at, outcome, errors, warnings, cells)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    request.fileName, request.sha256, "", request.questionnaire.id,
                    request.questionnaire.version, time,
                    request.acceptedWithErrors ? "accepted-with-errors" : "accepted", errors, warnings, 0,
                ])
            let submission = Int(db.lastInsertID)
            var result = IngestResult(submissionID: submission, alreadyIngested: false, receivedAt: time)
            let dimensions = request.questionnaire.dimensionIDs
            for finding in request.findings {
                try db.run(
                    "INSERT INTO finding (submission_id, rule, severity, kind, message, line, field, cell) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        submission, finding.ruleID, finding.severity.rawValue, finding.kind.rawValue, finding.message,
                        finding.location?.line, finding.location?.column,
                        finding.cell?.describe(dimensions: dimensions),
                    ])
            }
            // A reporter with no current cells has nothing to revise: its cells skip the lookup.
            var hasHistory: [String: Bool] = [:]
            for reporter in Set(request.reporters) {
                hasHistory[reporter] =
                    try db.scalar("SELECT 1 FROM cell WHERE reporter = ? AND valid_to IS NULL LIMIT 1", [reporter])
                    != nil
            }
            let statements = try CellStatements(db)
            let blocks = try ObservationBlockWriter(db: db, submission: submission, validFrom: time)
            var reporters = Set<String>()
            var count = 0
            func put(_ cell: ReturnCell, _ observations: [Observation], _ national: Normalizer.NationalMapping?) throws
            {
                reporters.insert(cell.key.country)
                count += 1
                try store(
                    cell, observations: observations, national: national, dimensions: dimensions,
                    submission: submission, at: time, lookUp: hasHistory[cell.key.country] ?? true,
                    statements: statements, blocks: blocks, result: &result)
            }
            try cells(put)
            try blocks.finish()
            // The reporters and count are known once every cell went in.
            try db.run(
                "UPDATE submission SET reporters = ?, cells = ? WHERE id = ?",
                [reporters.sorted().joined(separator: ","), count, submission])
            return result
        }
    }

    private func store(
        _ cell: ReturnCell, observations: [Observation], national: Normalizer.NationalMapping?, dimensions: [String],
        submission: Int, at time: String, lookUp: Bool, statements: CellStatements, blocks: ObservationBlockWriter,
        result: inout IngestResult
    ) throws {
        let k = cell.key
        // The normalizer has written the cell's breakdown text into its observations already.
        let breakdown =
            observations.first?.breakdown ?? Observation.breakdownText(dimensions: dimensions, codes: k.breakdown)
        let current =
            !lookUp ? nil : try statements.current.rows([k.country, k.table, k.variable, k.year, breakdown]).first
        let action = cell.isWithdrawal ? "withdraw" : "report"
        if let current {
            let same =
                current[1].string == action && current[2].string == cell.rawValue
                && current[3].string == cell.status.rawValue && current[4].string == cell.note
            if same {
                result.unchanged += 1
                return
            }
            try db.run("UPDATE cell SET valid_to = ? WHERE id = ?", [time, current[0]])
            if cell.isWithdrawal {
                result.withdrawn += 1
            } else if current[1].string == "withdraw" {
                result.added += 1
            } else {
                result.revised += 1
            }
        } else if cell.isWithdrawal {
            result.nothingToWithdraw += 1
            return
        } else {
            result.added += 1
        }
        try statements.insertCell.execute(
            submission, k.country, k.year, k.table, k.variable, breakdown, action, cell.value, cell.rawValue,
            cell.status.rawValue, cell.note, cell.location.line, time)
        let cellID = Int(db.lastInsertID)
        for o in observations { try blocks.add(o, cell: cellID) }
        guard let national else { return }
        result.national[national.outcome.rawValue, default: 0] += 1
        let parts: [Correspondence.Part?] = national.parts.isEmpty ? [nil] : national.parts
        for part in parts {
            try db.run(
                """
                INSERT INTO national_mapping (submission_id, cell_id, national_code, national_label, outcome, iccs,
                    share, value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    submission, cellID, national.nationalCode, national.label, national.outcome.rawValue,
                    part?.code.rawValue, part?.share, part?.value ?? cell.value,
                ])
        }
    }

    /// Every vintage of the cells of `reporter`, optionally of one year and one variable (`variable` or
    /// `table.variable`), oldest first.
    public func history(reporter: String, year: Int? = nil, variable: String? = nil) throws -> [CellVintage] {
        var sql = """
            SELECT c.reporter, c.year, c.table_id, c.variable, c.breakdown, c.action, c.raw_value, c.status, c.note,
                c.valid_from, c.valid_to, c.submission_id, s.file_name, c.line
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
                validTo: r[10].string, submissionID: r[11].int ?? 0, fileName: r[12].string ?? "", line: r[13].int ?? 0)
        }
    }

    /// The current figures of `reporter`, by cell key (breakdowns in the order of `dimensions`).
    public func currentValues(reporter: String, dimensions: [String]) throws -> [CellKey: Double] {
        var result: [CellKey: Double] = [:]
        for r in try db.rows(
            """
            SELECT year, table_id, variable, breakdown, value FROM cell
            WHERE reporter = ? AND valid_to IS NULL AND action = 'report' AND value IS NOT NULL
            """, [reporter])
        {
            var codes: [String: String] = [:]
            for pair in (r[3].string ?? "").split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { codes[parts[0]] = parts[1] }
            }
            let key = CellKey(
                country: reporter, year: r[0].int ?? 0, table: r[1].string ?? "", variable: r[2].string ?? "",
                breakdown: dimensions.map { codes[$0] ?? "" })
            result[key] = r[4].double
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
    /// cell's own SHA-256 (over its key, value as written, status and note). The same figures give the
    /// same fingerprint, whenever and in whatever order they were loaded. O(cells), no sort.
    public func contentHash(asOf: String? = nil) throws -> String {
        let (valid, values) = Self.valid(asOf: asOf, table: "cell")
        // A plain scan: reaching 5 million rows through the valid_to index costs more than reading them all.
        let sql = """
            SELECT reporter, year, table_id, variable, breakdown, raw_value, status, note FROM cell NOT INDEXED
            WHERE action = 'report' AND \(valid)
            """
        // The figures' own SHA-256s are added up (mod 2^256), and the sum is hashed: the result does not
        // depend on the order rows come in, so nothing is sorted.
        var sum: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var line: [UInt8] = []
        try db.forEachRow(sql, values) { row in
            line.removeAll(keepingCapacity: true)
            for i in 0..<8 {
                if i > 0 { line.append(0x1F) }
                line.append(contentsOf: row.textBytes(i))
            }
            line.append(0x0A)
            let d = line.withUnsafeBytes { SHA256.digestWords(of: $0) }
            var carry: UInt64 = 0
            func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
                let (partial, o1) = a.addingReportingOverflow(b)
                let (total, o2) = partial.addingReportingOverflow(carry)
                carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
                return total
            }
            // Word 3 holds the lowest bits of the digest read as one big-endian number.
            sum.3 = add(sum.3, d.3)
            sum.2 = add(sum.2, d.2)
            sum.1 = add(sum.1, d.1)
            sum.0 = add(sum.0, d.0)
        }
        var hasher = SHA256()
        hasher.update(
            [sum.0, sum.1, sum.2, sum.3].flatMap { word in
                (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * UInt64($0))) }
            })
        return hasher.finalize()
    }

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

    /// The SQL condition (and its values) for the vintages of `table` valid at `asOf`, or current ones.
    static func valid(asOf: String?, table: String) -> (String, [any SQLBindable]) {
        guard let asOf else { return ("\(table).valid_to IS NULL", []) }
        return ("\(table).valid_from <= ? AND (\(table).valid_to IS NULL OR \(table).valid_to > ?)", [asOf, asOf])
    }

    /// The time of the latest submission (the store's vintage), or nil for an empty store.
    public func vintage() throws -> String? {
        try db.scalar("SELECT max(received_at) FROM submission")?.string
    }
}
