import CTSCore
import CTSIO
import CTSStore

/// Validates one return, normalizes it and stores it; shared by `cts ingest` and `cts run`.
struct Ingestion {
    var workspace: Workspace
    var store: Store
    var reader: ReturnReader
    var correspondence: Correspondence?
    var allowErrors: Bool
    /// Whether returns are checked with the store's figures behind them (`Workspace.check`).
    var history = true
    /// nil: the time the store's write lock is taken.
    var receivedAt: String?

    enum Outcome: String, Encodable {
        case stored, rejected, unchanged
    }

    /// What happened to one return, for people (`line`) and for programs (the rest).
    struct Ingested: Encodable {
        var file: String
        var outcome: Outcome
        var submission: Int?
        var errors: Int
        var warnings: Int
        var changes: IngestResult?
        var line: String
    }

    /// Ingests `file` (already checked as `checked`, when given); the line says what happened to it.
    /// The cells are always stored by reading the file again, on a second thread, whether it was checked
    /// here or by the caller: `cts ingest` and `cts run` store returns through the same code.
    func ingest(_ file: String, checked given: Workspace.CheckedReturn? = nil) throws -> Ingested {
        let hash = try Self.sha256(of: file)
        if let earlier = try store.submission(sha256: hash) {
            var line = "unchanged \(file): already stored as submission \(earlier.id) (\(earlier.receivedAt))"
            // The same bytes with a correspondence table: not stored again, so the table would map nothing.
            if correspondence != nil {
                line +=
                    "; its national figures keep the mapping they were stored with. To map them with this table: "
                    + "cts remap COUNTRY --correspondence TABLE (each country of the return)"
            }
            return Ingested(
                file: file, outcome: .unchanged, submission: earlier.id, errors: earlier.errors,
                warnings: earlier.warnings, changes: nil, line: line)
        }
        // Checked without holding the cells (unless the caller kept them), then read again cell by cell
        // into the store: memory stays at about one country's cells whatever the size of the return.
        let checked = try given ?? workspace.check(file, with: reader, store: history ? store : nil)
        let report = checked.report
        let errors = report.count(.error)
        guard let q = checked.parsed.questionnaire, !report.hasErrors || allowErrors else {
            return Ingested(
                file: file, outcome: .rejected, submission: nil, errors: errors, warnings: report.count(.warning),
                changes: nil,
                line: "rejected \(file): \(errors) error\(errors == 1 ? "" : "s"); fix them (cts validate \(file)), "
                    + "or store it with its errors: cts ingest --allow-errors \(file)")
        }
        let normalizer = Normalizer(
            questionnaire: q, countries: workspace.reference.countries, correspondence: correspondence)
        // National figures stored without observations (counted as they are stored).
        final class Count {
            var value = 0
            /// National figures under codes whose correspondence rows were skipped, by code.
            var skipped: [String: Int] = [:]
        }
        let unmappedNational = Count()
        let skippedCodes = correspondence?.skipped ?? [:]
        func count(_ cell: borrowing ReturnCell, _ mapping: Normalizer.NationalMapping?, normalized: Bool) {
            // A figure that became observations is no unmapped national one: the table is looked up
            // (hashing its id) only for the rest.
            guard !normalized, !cell.isWithdrawal, normalizer.isNationalTable(cell.key.table) else { return }
            if mapping == nil { unmappedNational.value += 1 }
            if skippedCodes[cell.key.variable] != nil { unmappedNational.skipped[cell.key.variable, default: 0] += 1 }
        }
        let request = IngestRequest(
            fileName: file, sha256: hash, questionnaire: q, receivedAt: receivedAt,
            acceptedWithErrors: report.hasErrors, findings: report.findings, omitted: report.omitted,
            reporters: report.countries)
        let reader = reader
        /// Reads the return again, normalizes and fingerprints its cells and sends them on in batches.
        @Sendable func produce(_ send: @escaping ([PreparedCell]) throws -> Void) throws {
            var hasher = SHA256()
            var batch: [PreparedCell] = []
            // Batches of 4,096: each one sent wakes the storing thread, which costs more on a
            // virtual machine than the cells it hands over (1,024 a batch spent a tenth of the
            // reading thread's time there).
            batch.reserveCapacity(4096)
            let preparer = PreparedCell.Preparer(normalizer: normalizer)
            _ = try reader.forEachCell(path: file, onBytes: { hasher.update($0) }) { cell, key in
                guard !cell.isInvalid else { return }
                batch.append(preparer.prepare(cell, key: key))
                if batch.count == 4096 {
                    try send(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try send(batch) }
            // The file must be the one that was checked: else nothing of it is stored.
            guard hasher.finalize() == hash else {
                throw InputError(
                    "\(file) changed while it was being ingested; nothing of it was stored.",
                    code: "file.changed", fix: "Ingest it again once it is complete.")
            }
        }
        let result = try store.ingest(request) { put in
            // Read and normalized on a second thread, stored on this one, in batches.
            try Pipeline.run(capacity: 8) { (send: ([PreparedCell]) throws -> Void) in
                try withoutActuallyEscaping(send) { send in try produce(send) }
            } consume: { batch in
                for i in batch.indices {
                    count(batch[i].cell, batch[i].national, normalized: !batch[i].observations.isEmpty)
                }
                try put(batch)
            }
        }
        var line =
            "stored \(file) as submission \(result.submissionID): \(result.added) added, "
            + "\(result.revised) revised, \(result.unchanged) unchanged, \(result.withdrawn) withdrawn"
        if result.nothingToWithdraw > 0 { line += ", \(result.nothingToWithdraw) withdrawals of unknown cells" }
        if !result.national.isEmpty {
            line +=
                "; national categories: "
                + result.national.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        if unmappedNational.value > 0 {
            line +=
                "; \(unmappedNational.value) national figures kept as received but not normalized "
                + "(give --correspondence)"
        }
        if !unmappedNational.skipped.isEmpty {
            let figures = unmappedNational.skipped.values.reduce(0, +)
            line +=
                "; \(figures) national figure\(figures == 1 ? "" : "s") left unmapped as their correspondence rows "
                + "were skipped (codes \(unmappedNational.skipped.keys.sorted().joined(separator: ", ")))"
        }
        if report.hasErrors { line += " (stored with \(errors) error\(errors == 1 ? "" : "s"): --allow-errors)" }
        return Ingested(
            file: file, outcome: .stored, submission: result.submissionID, errors: errors,
            warnings: report.count(.warning), changes: result, line: line)
    }

    static func sha256(of file: String) throws -> String {
        var hasher = SHA256()
        try FileInput.forEachChunk(file) { hasher.update($0) }
        return hasher.finalize()
    }
}
