import CTSCore

extension Store {
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
            let time = try receivedTime(request)
            let (errors, warnings) = request.counts
            try db.run(
                """
                INSERT INTO submission (file_name, sha256, reporters, questionnaire_id, questionnaire_version,
                    received_at, outcome, errors, warnings, cells, fingerprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    request.fileName, request.sha256, "", request.questionnaire.id,
                    request.questionnaire.version, time,
                    request.acceptedWithErrors ? "accepted-with-errors" : "accepted", errors, warnings, 0, "",
                ])
            let submission = Int(db.lastInsertID)
            let dimensions = request.questionnaire.dimensionIDs
            let finding = try db.statement(
                "INSERT INTO finding (submission_id, rule, severity, kind, message, line, field, cell, sheet_cell) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            for f in request.findings {
                try finding.execute(
                    submission, f.ruleID, f.severity.rawValue, f.kind.rawValue, f.message, f.location?.line,
                    f.location?.column, f.cell?.describe(dimensions: dimensions), f.location?.cellReference)
            }
            // Index entries of a large return land all over the indexes (by series, by slot): a page cache that
            // holds them saves writing and reading the same pages again and again. It fills only as needed.
            try db.execute("PRAGMA cache_size = -\(Self.ingestCacheKiB)")
            defer { try? db.execute("PRAGMA cache_size = -2000") }
            let writer = try CellWriter(db: db, submission: submission, time: time, remap: request.remap)
            try cells { batch in
                // Each cell is read where it lies: `batch[i]` handed to a function copies the whole cell,
                // retaining and releasing each of its texts.
                try batch.withUnsafeBufferPointer { cells in
                    guard let first = cells.baseAddress else { return }
                    for prepared in first..<(first + cells.count) { try writer.store(prepared) }
                }
            }
            try db.run(
                "UPDATE submission SET reporters = ?, cells = ?, fingerprint = ? WHERE id = ?",
                [writer.reporters.sorted().joined(separator: ","), writer.count, writer.fingerprint.hex, submission])
            return writer.result
        }
    }

    /// The page cache while a return is stored, in KiB.
    static let ingestCacheKiB = 98_304

    /// When a return is received: the time given, which must not be before the latest submission's, or
    /// now (never earlier than what is stored, even if this machine's clock is behind another's).
    private func receivedTime(_ request: IngestRequest) throws -> String {
        let latest = try latestTime()
        guard let given = request.receivedAt else { return max(Timestamp.now(), latest ?? "") }
        if let latest, given < latest {
            throw InputError(
                "\(request.fileName) is dated \(given), before the latest submission in the store "
                    + "(\(latest)). History is kept in the order returns arrive.",
                code: "store.out-of-order",
                fix: "Ingest older returns first, or leave out --received-at to use the current time.")
        }
        return given
    }
}
