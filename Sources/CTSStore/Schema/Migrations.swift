import CTSCore

/// Opens a store at the schema of this cts: a new database gets `Schema.sql`, a store of an earlier
/// released version is converted by frozen SQL, in one transaction, and anything else is refused
/// (`StoreError`).
///
/// A migration is SQL written once and never edited, plus where unavoidable a self-contained data step;
/// it never calls the code that writes returns today, so a later change to ingest cannot change what an
/// old store becomes. Versions 1 to 5 were never released (development builds); 6 is the last store
/// that kept cells in JSON blocks.
public enum Migrations {
    /// SQL that takes a store from version `key - 1` to `key`.
    static let steps: [Int: String] = [7: fromBlocks, 8: workbookSheets]

    /// Version 7 → 8: a figure or finding from a workbook keeps the cell it came from beside its line
    /// (the cell's row), so `cts history` and SQL can name it: `police_offences!D7`. NULL for CSV returns.
    static let workbookSheets = """
        ALTER TABLE cell_vintage ADD COLUMN sheet_cell TEXT;
        ALTER TABLE finding ADD COLUMN sheet_cell TEXT;
        DROP VIEW cell;
        CREATE VIEW cell AS
        SELECT c.id AS id, c.submission_id AS submission_id, c.reporter AS reporter, c.year AS year,
            s.table_id AS table_id, s.variable AS variable, s.breakdown AS breakdown,
            CASE c.withdrawn WHEN 1 THEN 'withdraw' ELSE 'report' END AS action, c.value AS value,
            coalesce(c.raw_value, CASE WHEN c.value IS NULL THEN '' ELSE printf('%d', CAST(c.value AS INTEGER)) END)
                AS raw_value,
            c.status AS status, c.note AS note, c.line AS line, f.received_at AS valid_from,
            t.received_at AS valid_to, c.sheet_cell AS sheet_cell
        FROM cell_vintage c JOIN slot s ON s.id = c.slot_id JOIN submission f ON f.id = c.submission_id
            LEFT JOIN submission t ON t.id = c.ended_by;
        """

    /// Version 6 → 7: cells and figures out of their JSON blocks into rows, ids kept. The end time of a
    /// vintage becomes the submission that ended it (the first at that time, from the cell's own on);
    /// the blocks' fingerprint sums become each submission's (`Fingerprints.recompute`).
    static let fromBlocks = """
        DROP VIEW cell;
        DROP VIEW observation;
        DROP INDEX finding_submission;
        ALTER TABLE submission RENAME TO v6_submission;
        ALTER TABLE finding RENAME TO v6_finding;
        ALTER TABLE national_mapping RENAME TO v6_national_mapping;
        \(Schema.version7)
        INSERT INTO submission (id, file_name, sha256, reporters, questionnaire_id, questionnaire_version,
            received_at, outcome, errors, warnings, cells, fingerprint)
        SELECT id, file_name, sha256, reporters, questionnaire_id, questionnaire_version, received_at, outcome,
            errors, warnings, cells, ''
        FROM v6_submission ORDER BY id;
        INSERT INTO finding (submission_id, rule, severity, kind, message, line, field, cell)
        SELECT submission_id, rule, severity, kind, message, line, field, cell FROM v6_finding ORDER BY rowid;
        INSERT INTO slot (id, table_id, variable, breakdown)
        SELECT id, table_id, variable, breakdown FROM cell_slot ORDER BY id;
        INSERT INTO series (id, indicator, series, iccs, iccs_level, breakdown)
        SELECT id, indicator, series, iccs, iccs_level, breakdown FROM observation_series ORDER BY id;
        INSERT INTO place (reporter, iso3, m49)
        SELECT DISTINCT reporter, iso3, m49 FROM observation_block ORDER BY reporter, iso3, m49;
        INSERT INTO cell_vintage (id, submission_id, reporter, year, slot_id, withdrawn, value, raw_value, status,
            note, line, ended_by)
        SELECT b.first_cell + j.key, b.submission_id, b.reporter, b.year, j.value ->> 0,
            CASE WHEN j.value ->> 6 = 'withdraw' THEN 1 ELSE 0 END, CAST(j.value ->> 2 AS REAL), j.value ->> 4,
            j.value ->> 3, coalesce(j.value ->> 5, ''), j.value ->> 1,
            CASE WHEN e.valid_to IS NULL THEN NULL ELSE (
                SELECT min(s.id) FROM submission s WHERE s.received_at = e.valid_to AND s.id >= b.submission_id)
            END
        FROM cell_block b JOIN json_each(b.cells) j LEFT JOIN cell_end e ON e.cell_id = b.first_cell + j.key
        ORDER BY 1;
        INSERT INTO observation (cell_id, series_id, place_id, value, status, national_code, share)
        SELECT j.value ->> 0, j.value ->> 1, p.id, CAST(j.value ->> 2 AS REAL), j.value ->> 3, j.value ->> 4,
            CAST(coalesce(j.value ->> 5, 1.0) AS REAL)
        FROM observation_block b JOIN json_each(b.observations) j
            JOIN place p ON p.reporter = b.reporter AND p.iso3 = b.iso3 AND p.m49 = b.m49
        ORDER BY 1, 2;
        INSERT INTO national_mapping (submission_id, cell_id, national_code, national_label, outcome, iccs, share,
            value)
        SELECT submission_id, cell_id, national_code, national_label, outcome, iccs, share, value
        FROM v6_national_mapping ORDER BY rowid;
        DROP TABLE v6_national_mapping;
        DROP TABLE v6_finding;
        DROP TABLE observation_block;
        DROP TABLE observation_series;
        DROP TABLE cell_end;
        DROP TABLE cell_block;
        DROP TABLE cell_slot;
        DROP TABLE v6_submission;
        """

    /// Work after a step's SQL, in the same transaction.
    static let dataSteps: [Int: @Sendable (Database) throws -> Void] = [7: { try Fingerprints.recompute($0) }]

    /// Brings the database to `Schema.version`, in one transaction; refuses what is not a cts store or
    /// cannot be converted. Afterwards every foreign key holds (checked after a conversion).
    public static func migrate(_ db: Database) throws {
        try db.transaction {
            let version = try db.scalar("PRAGMA user_version")?.int ?? 0
            if version == Schema.version { return }
            if version == 0 {
                guard try db.scalar("SELECT count(*) FROM sqlite_schema")?.int == 0 else {
                    throw StoreError(
                        .notAStore, path: db.path,
                        message: "\(db.path) is an SQLite database that cts did not make; cts leaves it as it is.",
                        fix: "Name a cts store with --db, or a file that does not exist yet to start a new store.")
                }
                try db.execute(Schema.sql)
                try db.execute("PRAGMA user_version = \(Schema.version)")
                return
            }
            guard version <= Schema.version else {
                throw StoreError(
                    .tooNew, path: db.path,
                    message: "The store \(db.path) has schema version \(version), newer than this cts knows "
                        + "(\(Schema.version)).",
                    fix: "Use a newer cts with this store.")
            }
            guard version >= 6 else {
                throw StoreError(
                    .unsupported, path: db.path,
                    message: "The store \(db.path) has schema version \(version), which no release of cts wrote.",
                    fix: "Ingest its returns again into a new store (a development build of cts made this one).")
            }
            for step in (version + 1)...Schema.version {
                do {
                    try db.execute(steps[step] ?? "")
                    try dataSteps[step]?(db)
                } catch let error as DatabaseError {
                    throw StoreError(
                        .corrupt, path: db.path,
                        message: "The store \(db.path) could not be converted from schema version \(step - 1) "
                            + "to \(step): \(error.message). Nothing was changed.",
                        fix: "Keep a copy of the file and ingest its returns again into a new store.")
                }
                try db.execute("PRAGMA user_version = \(step)")
            }
            let broken = try db.rows("PRAGMA foreign_key_check")
            guard broken.isEmpty else {
                throw StoreError(
                    .corrupt, path: db.path,
                    message: "The store \(db.path) has \(broken.count) rows whose parent row is missing "
                        + "(first in table \(broken[0][0].string ?? "?")). Nothing was changed.",
                    fix: "Keep a copy of the file and ingest its returns again into a new store.")
            }
        }
    }
}
