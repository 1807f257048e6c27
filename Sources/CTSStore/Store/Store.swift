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
        let dimensions = request.questionnaire.dimensionIDs
        return try ingest(request) { put in
            try put(
                request.cells.enumerated().map { i, cell in
                    PreparedCell(
                        cell, observations: request.observations[i] ?? [], national: request.national[i],
                        dimensions: dimensions)
                })
        }
    }

    /// Stores a return whose cells `cells` hands over in batches, inside the store's transaction, to the
    /// function it is given. Memory then holds a batch at a time; an error `cells` throws rolls the whole
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
            let current = try CurrentCells(db: db, reporters: request.reporters)
            let writer = try CellBlockWriter(db: db, submission: submission, validFrom: time)
            let blocks = try ObservationBlockWriter(db: db, submission: submission, validFrom: time)
            let storage = CellStorage(
                current: current, cells: writer, observations: blocks,
                end: try db.statement(
                    "INSERT INTO cell_end (cell_id, valid_to) VALUES (?, ?)"))
            var reporters = Set<String>()
            var lastReporter: String?
            var count = 0
            func put(_ batch: [PreparedCell]) throws {
                // Each cell is read through a pointer to where it lies: `batch[i]` handed to a function
                // copies the whole cell, retaining and releasing each of its texts (a quarter of the
                // storing thread's time).
                try batch.withUnsafeBufferPointer { cells in
                    guard let first = cells.baseAddress else { return }
                    for prepared in first..<(first + cells.count) {
                        // A reporter's cells come together: the set is touched when the reporter changes.
                        if prepared.pointee.cell.key.country != lastReporter {
                            reporters.insert(prepared.pointee.cell.key.country)
                            lastReporter = prepared.pointee.cell.key.country
                        }
                        try store(prepared, submission: submission, at: time, storage: storage, result: &result)
                    }
                }
                count += batch.count
            }
            try cells(put)
            try writer.finish()
            try blocks.finish()
            // The reporters and count are known once every cell went in.
            try db.run(
                "UPDATE submission SET reporters = ?, cells = ? WHERE id = ?",
                [reporters.sorted().joined(separator: ","), count, submission])
            return result
        }
    }

    /// What storing a cell writes with.
    private struct CellStorage {
        let current: CurrentCells
        let cells: CellBlockWriter
        let observations: ObservationBlockWriter
        /// Ends a vintage: cell id, time.
        let end: Statement
    }

    /// Stores the cell `cell` points at (valid for the call).
    private func store(
        _ cell: UnsafePointer<PreparedCell>, submission: Int, at time: String, storage: CellStorage,
        result: inout IngestResult
    ) throws {
        try storage.current.move(
            reporter: cell.pointee.cell.key.country, table: cell.pointee.cell.key.table,
            year: cell.pointee.cell.key.year, writer: storage.cells)
        let slot = CurrentCells.Slot(
            variable: cell.pointee.cell.key.variable, breakdown: cell.pointee.breakdown, code: cell.pointee.slotCode)
        let action = cell.pointee.cell.isWithdrawal ? "withdraw" : "report"
        if let current = storage.current.vintages[slot] {
            let same =
                current.action == action && current.raw == cell.pointee.cell.rawValue
                && current.status == cell.pointee.cell.status.rawValue && current.note == cell.pointee.cell.note
            if same {
                result.unchanged += 1
                return
            }
            try storage.end.execute(current.id, time)
            if cell.pointee.cell.isWithdrawal {
                result.withdrawn += 1
            } else if current.action == "withdraw" {
                result.added += 1
            } else {
                result.revised += 1
            }
        } else if cell.pointee.cell.isWithdrawal {
            result.nothingToWithdraw += 1
            return
        } else {
            result.added += 1
        }
        let cellID = try storage.cells.add(
            reporter: cell.pointee.cell.key.country, table: cell.pointee.cell.key.table,
            year: cell.pointee.cell.key.year, variable: cell.pointee.cell.key.variable,
            breakdown: cell.pointee.breakdown, action: action,
            value: cell.pointee.cell.value, raw: cell.pointee.cell.rawValue, status: cell.pointee.cell.status.rawValue,
            note: cell.pointee.cell.note, line: cell.pointee.cell.location.line, slotCode: cell.pointee.slotCode)
        storage.current.vintages[slot] = CurrentCells.Vintage(
            id: cellID, action: action, raw: cell.pointee.cell.rawValue, status: cell.pointee.cell.status.rawValue,
            note: cell.pointee.cell.note)
        try cell.pointee.observations.withUnsafeBufferPointer { observations in
            guard let first = observations.baseAddress else { return }
            for o in first..<(first + observations.count) { try storage.observations.add(o, cell: cellID) }
        }
        guard let national = cell.pointee.national else { return }
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
                    part?.code.rawValue, part?.share, part?.value ?? cell.pointee.cell.value,
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
    /// cell's own SHA-256 (over its key, value as written, status and note; `FingerprintSum`). The same
    /// figures give the same fingerprint, whenever and in whatever order they were loaded.
    ///
    /// Each block keeps the sum of its reported figures: the fingerprint is the sum of the blocks valid
    /// then, less the figures that had ended. O(blocks + ended cells), no figure read but ended ones.
    public func contentHash(asOf: String? = nil) throws -> String {
        var sum = FingerprintSum()
        try db.forEachRow(
            "SELECT id, fingerprint FROM cell_block WHERE ? IS NULL OR valid_from <= ?", [asOf, asOf]
        ) { row in
            guard let block = FingerprintSum(hex: String(decoding: row.textBytes(1), as: UTF8.self)) else {
                throw DatabaseError(code: 1, message: "Cell block \(row.int64(0)) has no valid fingerprint.")
            }
            sum.add(block)
        }
        // An ended cell was valid from its block's time until it ended, so its block is counted above.
        let ended = try Self.endedCells(db, asOf: asOf).sorted()
        var next = 0
        var line = ByteWriter(capacity: 128)
        let slots = ended.isEmpty ? nil : try CellSlots(db: db)
        while next < ended.count {
            var found = false
            try db.forEachRow(
                """
                SELECT reporter, year, table_id, first_cell, size, cells FROM cell_block
                WHERE first_cell <= ? ORDER BY first_cell DESC LIMIT 1
                """, [ended[next]]
            ) { row in
                let (first, size) = (row.int64(3), row.int64(4))
                guard ended[next] < first + size else { return }
                found = true
                let (reporter, year, table) = (
                    row.column(0).string ?? "", Int(row.int64(1)), row.column(2).string ?? ""
                )
                var inBlock = Set<Int64>()
                while next < ended.count, ended[next] < first + size {
                    inBlock.insert(ended[next] - first)
                    next += 1
                }
                try CellBlock.forEach(in: row.textBytes(5)) { i, e in
                    guard inBlock.contains(Int64(i)), e.isReport, let slot = try slots?.slot(e.slot) else { return }
                    sum.subtract(
                        digest: FingerprintSum.digest(
                            reporter: reporter, year: year, table: table, variable: slot.variable,
                            breakdown: slot.breakdown, raw: e.rawString, status: e.status.string, note: e.noteString,
                            line: &line))
                }
            }
            guard found else {
                throw DatabaseError(code: 1, message: "Ended cell \(ended[next]) is in no cell block.")
            }
        }
        return sum.finalize()
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

    /// The cells whose vintage had ended at `asOf` (all that ended, when nil): few, as only revised and
    /// withdrawn cells end.
    static func endedCells(_ db: Database, asOf: String?) throws -> Set<Int64> {
        var ended = Set<Int64>()
        try db.forEachRow("SELECT cell_id FROM cell_end WHERE ? IS NULL OR valid_to <= ?", [asOf, asOf]) {
            ended.insert($0.int64(0))
        }
        return ended
    }

    /// The time of the latest submission (the store's vintage), or nil for an empty store.
    public func vintage() throws -> String? {
        try db.scalar("SELECT max(received_at) FROM submission")?.string
    }
}
