import CTSCore

/// Writes the cells of one submission as rows, inside its transaction: compares each with the current
/// vintage of its cell, ends that vintage when the new one differs, and inserts the cell, its
/// observations and what became of a national figure. Counts what it did and sums the fingerprint
/// digests of the figures made current less those ended (`FingerprintSum`).
final class CellWriter {
    private let db: Database
    private let submission: Int
    private let numbers: StoreNumbers
    private let current: CurrentCells
    private let insertCell: Statement
    private let insertObservation: Statement
    private let insertMapping: Statement
    private let end: Statement
    private var line = ByteWriter(capacity: 128)
    private var lastReporter: String?
    /// A table, variable and breakdown's slot id, by the last one asked for: a return lists a variable's
    /// years together, so most cells reuse it without hashing three texts.
    private var lastSlot: (key: StoreNumbers.Slot, id: Int)?
    private var seriesOfSlot: [Int: Int] = [:]
    private var lastPlace: (key: StoreNumbers.Place, id: Int)?

    private(set) var result: IngestResult
    private(set) var reporters = Set<String>()
    private(set) var count = 0
    private(set) var fingerprint = FingerprintSum()

    /// Whether cells whose figure is unchanged are stored again (`IngestRequest.remap`).
    private let remap: Bool

    init(db: Database, submission: Int, time: String, remap: Bool = false) throws {
        self.remap = remap
        self.db = db
        self.submission = submission
        numbers = try StoreNumbers(db: db)
        current = CurrentCells(db: db)
        result = IngestResult(submissionID: submission, alreadyIngested: false, receivedAt: time)
        insertCell = try db.statement(
            """
            INSERT INTO cell_vintage (submission_id, reporter, year, slot_id, withdrawn, value, raw_value, status, note,
                line, sheet_cell)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertObservation = try db.statement(
            """
            INSERT INTO observation (cell_id, series_id, place_id, value, status, national_code, share)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        insertMapping = try db.statement(
            """
            INSERT INTO national_mapping (submission_id, cell_id, national_code, national_label, outcome, iccs,
                share, value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        end = try db.statement("UPDATE cell_vintage SET ended_by = ? WHERE id = ?")
    }

    /// Stores the cell `prepared` points at (valid for the call).
    func store(_ prepared: UnsafePointer<PreparedCell>) throws {
        count += 1
        let cell = prepared.pointee.cell
        if cell.key.country != lastReporter {
            reporters.insert(cell.key.country)
            lastReporter = cell.key.country
            try current.move(to: cell.key.country)
        }
        let slot = try slotID(table: cell.key.table, variable: cell.key.variable, breakdown: prepared.pointee.breakdown)
        let key = CurrentCells.Key(slot: slot, year: cell.key.year)
        let withdrawal = cell.isWithdrawal
        if let vintage = current.vintages[key] {
            let same =
                vintage.withdrawn == withdrawal && vintage.raw == cell.rawValue && vintage.status == cell.status.rawValue
                && vintage.note == cell.note
            if same && !remap {
                result.unchanged += 1
                return
            }
            try end.execute(submission, vintage.id)
            if !vintage.withdrawn {
                fingerprint.subtract(digest: try digest(of: vintage, key: key, reporter: cell.key.country))
            }
            if same {
                result.remapped += 1
            } else if withdrawal {
                result.withdrawn += 1
            } else if vintage.withdrawn {
                result.added += 1
            } else {
                result.revised += 1
            }
        } else if withdrawal {
            result.nothingToWithdraw += 1
            return
        } else {
            result.added += 1
        }
        if let digest = prepared.pointee.digest { fingerprint.add(digest: digest) }
        try insertCell.execute(
            submission, cell.key.country, cell.key.year, slot, withdrawal ? 1 : 0, cell.value,
            RawValue.stored(cell.rawValue, value: cell.value), cell.status.rawValue, cell.note, cell.location.line,
            cell.location.cellReference)
        let id = Int(db.lastInsertID)
        current.vintages[key] = CurrentCells.Vintage(
            id: id, withdrawn: withdrawal, raw: cell.rawValue, status: cell.status.rawValue, note: cell.note)
        try prepared.pointee.observations.withUnsafeBufferPointer { observations in
            guard let first = observations.baseAddress else { return }
            for o in first..<(first + observations.count) {
                try insertObservation.execute(
                    id, try series(of: o, slot: slot), try place(of: o), o.pointee.value, o.pointee.status.rawValue,
                    o.pointee.nationalCode, o.pointee.share)
            }
        }
        if let national = prepared.pointee.national { try record(national, cell: id, value: cell.value) }
    }

    /// The series id of `o`, a figure of a cell in `slot`. Within one ingest (one questionnaire) a cell's
    /// slot decides the series of its figure, except for national categories, which are looked up by
    /// their texts.
    private func series(of o: UnsafePointer<Observation>, slot: Int) throws -> Int {
        guard o.pointee.nationalCode == nil else { return try numbers.series(of: o.pointee) }
        if let known = seriesOfSlot[slot] { return known }
        let id = try numbers.series(of: o.pointee)
        seriesOfSlot[slot] = id
        return id
    }

    /// The place id of `o`, by the last one asked for: a reporter's cells come together.
    private func place(of o: UnsafePointer<Observation>) throws -> Int {
        let key = StoreNumbers.Place(reporter: o.pointee.reporter, iso3: o.pointee.iso3, m49: o.pointee.m49)
        if let lastPlace, lastPlace.key == key { return lastPlace.id }
        let id = try numbers.place(key)
        lastPlace = (key, id)
        return id
    }

    private func slotID(table: String, variable: String, breakdown: String) throws -> Int {
        if let lastSlot, lastSlot.key.variable == variable, lastSlot.key.breakdown == breakdown,
            lastSlot.key.table == table
        {
            return lastSlot.id
        }
        let key = StoreNumbers.Slot(table: table, variable: variable, breakdown: breakdown)
        let id = try numbers.slot(key)
        lastSlot = (key, id)
        return id
    }

    /// The digest of a vintage that ends, from its texts.
    private func digest(of vintage: CurrentCells.Vintage, key: CurrentCells.Key, reporter: String) throws
        -> FingerprintSum.Digest
    {
        guard let slot = numbers.slotTexts[key.slot] else {
            throw StoreError(
                .corrupt, path: db.path, message: "Cell \(vintage.id) names slot \(key.slot), which the store lacks.",
                fix: "Keep a copy of the file and ingest its returns again into a new store.")
        }
        return FingerprintSum.digest(
            reporter: reporter, year: key.year, table: slot.table, variable: slot.variable, breakdown: slot.breakdown,
            raw: vintage.raw, status: vintage.status, note: vintage.note, line: &line)
    }

    /// Records what the correspondence table did with a national figure: a row per ICCS part.
    private func record(_ national: Normalizer.NationalMapping, cell: Int, value: Double?) throws {
        result.national[national.outcome.rawValue, default: 0] += 1
        let parts: [Correspondence.Part?] = national.parts.isEmpty ? [nil] : national.parts
        for part in parts {
            try insertMapping.execute(
                submission, cell, national.nationalCode, national.label, national.outcome.rawValue,
                part?.code.rawValue, part?.share, part?.value ?? value)
        }
    }
}
