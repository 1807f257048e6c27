import CTSCore

/// The store's schema as numbered migrations. `PRAGMA user_version` holds the version a file is at;
/// opening a store applies the missing migrations in order, in one transaction.
public enum Migrations {
    /// Migration N takes a store from version N-1 to N. Never edit a released migration: add one.
    public static let all: [String] = [
        // 1: submissions, their findings, cells as received (every vintage), normalized observations.
        """
        CREATE TABLE submission (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            reporters TEXT NOT NULL,
            questionnaire_id TEXT NOT NULL,
            questionnaire_version TEXT NOT NULL,
            received_at TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'accepted-with-errors')),
            errors INTEGER NOT NULL,
            warnings INTEGER NOT NULL,
            cells INTEGER NOT NULL
        );
        CREATE TABLE finding (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            rule TEXT NOT NULL,
            severity TEXT NOT NULL,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            line INTEGER,
            field INTEGER,
            cell TEXT
        );
        CREATE INDEX finding_submission ON finding(submission_id);
        CREATE TABLE cell (
            id INTEGER PRIMARY KEY,
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            reporter TEXT NOT NULL,
            year INTEGER NOT NULL,
            table_id TEXT NOT NULL,
            variable TEXT NOT NULL,
            breakdown TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('report', 'withdraw')),
            value REAL,
            raw_value TEXT NOT NULL,
            status TEXT NOT NULL,
            note TEXT NOT NULL,
            line INTEGER NOT NULL,
            valid_from TEXT NOT NULL,
            valid_to TEXT
        );
        CREATE INDEX cell_key ON cell(reporter, table_id, variable, year, breakdown);
        CREATE INDEX cell_current ON cell(valid_to) WHERE valid_to IS NULL;
        CREATE TABLE observation (
            cell_id INTEGER PRIMARY KEY REFERENCES cell(id),
            reporter TEXT NOT NULL,
            iso3 TEXT NOT NULL,
            m49 TEXT NOT NULL,
            year INTEGER NOT NULL,
            indicator TEXT NOT NULL,
            series TEXT NOT NULL,
            iccs TEXT,
            iccs_level INTEGER,
            breakdown TEXT NOT NULL,
            value REAL,
            status TEXT NOT NULL
        );
        """,
        // 2: national offence categories. One cell may now give several observations (a national
        // category split across ICCS codes), and what each mapping did is kept.
        """
        CREATE TABLE observation_v2 (
            id INTEGER PRIMARY KEY,
            cell_id INTEGER NOT NULL REFERENCES cell(id),
            reporter TEXT NOT NULL,
            iso3 TEXT NOT NULL,
            m49 TEXT NOT NULL,
            year INTEGER NOT NULL,
            indicator TEXT NOT NULL,
            series TEXT NOT NULL,
            iccs TEXT,
            iccs_level INTEGER,
            breakdown TEXT NOT NULL,
            value REAL,
            status TEXT NOT NULL,
            national_code TEXT,
            share REAL NOT NULL DEFAULT 1
        );
        INSERT INTO observation_v2 (cell_id, reporter, iso3, m49, year, indicator, series, iccs, iccs_level,
            breakdown, value, status)
        SELECT cell_id, reporter, iso3, m49, year, indicator, series, iccs, iccs_level, breakdown, value, status
        FROM observation ORDER BY cell_id;
        DROP TABLE observation;
        ALTER TABLE observation_v2 RENAME TO observation;
        CREATE INDEX observation_cell ON observation(cell_id);
        CREATE TABLE national_mapping (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            cell_id INTEGER NOT NULL REFERENCES cell(id),
            national_code TEXT NOT NULL,
            national_label TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('mapped', 'split', 'excluded', 'unmapped')),
            iccs TEXT,
            share REAL,
            value REAL
        );
        """,
        // 3: observations packed, one row per run of a submission's observations of one reporter and year
        // (`ObservationBlock`), their series numbered. The `observation` view still shows one row per
        // observation. Current cells were found through no index; ended ones now are (`cell_ended`).
        // `moveObservationsIntoBlocks` moves the rows of version 2 before the old table is dropped.
        """
        CREATE TABLE observation_series (
            id INTEGER PRIMARY KEY,
            indicator TEXT NOT NULL,
            series TEXT NOT NULL,
            iccs TEXT,
            iccs_level INTEGER,
            breakdown TEXT NOT NULL
        );
        CREATE UNIQUE INDEX observation_series_key ON observation_series(indicator, series, iccs, breakdown);
        CREATE TABLE observation_block (
            id INTEGER PRIMARY KEY,
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            reporter TEXT NOT NULL,
            iso3 TEXT NOT NULL,
            m49 TEXT NOT NULL,
            year INTEGER NOT NULL,
            valid_from TEXT NOT NULL,
            size INTEGER NOT NULL,
            observations TEXT NOT NULL
        );
        DROP INDEX cell_current;
        CREATE INDEX cell_ended ON cell(valid_to) WHERE valid_to IS NOT NULL;
        """,
        // 4: cells packed too, one row per run of a submission's cells of one reporter, table and year
        // (`CellBlock`), with the fingerprint sum of its reported figures; a cell's end is a row of
        // `cell_end`. The `cell` view still shows one row per
        // vintage, with the same ids. `national_mapping` no longer names `cell` as its parent (a view
        // cannot be one). `moveCellsIntoBlocks` moves the rows of version 3 before the old table is dropped.
        """
        CREATE TABLE cell_block (
            id INTEGER PRIMARY KEY,
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            reporter TEXT NOT NULL,
            year INTEGER NOT NULL,
            table_id TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            first_cell INTEGER NOT NULL,
            size INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            cells TEXT NOT NULL
        );
        CREATE INDEX cell_block_key ON cell_block(reporter, table_id, year);
        CREATE INDEX cell_block_first ON cell_block(first_cell);
        CREATE TABLE cell_end (
            cell_id INTEGER PRIMARY KEY,
            valid_to TEXT NOT NULL
        );
        CREATE TABLE national_mapping_v4 (
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            cell_id INTEGER NOT NULL,
            national_code TEXT NOT NULL,
            national_label TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('mapped', 'split', 'excluded', 'unmapped')),
            iccs TEXT,
            share REAL,
            value REAL
        );
        INSERT INTO national_mapping_v4 SELECT * FROM national_mapping;
        DROP TABLE national_mapping;
        ALTER TABLE national_mapping_v4 RENAME TO national_mapping;
        """,
        // 5: a block names its cells' variable and breakdown by a number in `cell_slot`, and leaves out
        // the raw value, note and action where they are the usual ones (`CellBlock`): a cell takes about
        // 20 bytes instead of 80. `numberCellSlots` rewrites the blocks of version 4; the `cell` view
        // shows the same rows.
        """
        CREATE TABLE cell_slot (
            id INTEGER PRIMARY KEY,
            table_id TEXT NOT NULL,
            variable TEXT NOT NULL,
            breakdown TEXT NOT NULL
        );
        CREATE UNIQUE INDEX cell_slot_key ON cell_slot(table_id, variable, breakdown);
        DROP VIEW cell;
        """,
        // 6: an observation of no national category counted whole leaves out its national code and share
        // (`ObservationBlock`); the `observation` view reads a share left out as 1. Blocks written before
        // keep both and read as they did.
        """
        DROP VIEW observation;
        """,
    ]

    /// Work done in Swift after the SQL of a migration (by version), in the same transaction.
    static let after: [Int: @Sendable (Database) throws -> Void] = [
        3: moveObservationsIntoBlocks, 4: moveCellsIntoBlocks, 5: numberCellSlots,
        6: { try $0.execute(observationView) },
    ]

    public static var latest: Int { all.count }

    /// Takes `db` from version `version - 1` to `version`: its SQL, then its work in Swift, then the new
    /// `user_version`. Not in a transaction of its own.
    public static func apply(_ version: Int, to db: Database) throws {
        try db.execute(all[version - 1])
        try after[version]?(db)
        try db.execute("PRAGMA user_version = \(version)")
    }

    /// The `observation` view of version 6 and later: one row per observation of every block.
    static let observationView = """
        CREATE VIEW observation AS
        SELECT j.value ->> 0 AS cell_id, b.reporter AS reporter, b.iso3 AS iso3, b.m49 AS m49, b.year AS year,
            s.indicator AS indicator, s.series AS series, s.iccs AS iccs, s.iccs_level AS iccs_level,
            s.breakdown AS breakdown, CAST(j.value ->> 2 AS REAL) AS value, j.value ->> 3 AS status,
            j.value ->> 4 AS national_code, CAST(coalesce(j.value ->> 5, 1.0) AS REAL) AS share, b.id AS block_id,
            b.submission_id AS submission_id
        FROM observation_block b JOIN json_each(b.observations) j JOIN observation_series s ON s.id = j.value ->> 1
        """

    /// The `observation` view of versions 3 to 5, every share in the blocks.
    static let observationViewV3 = """
        CREATE VIEW observation AS
        SELECT j.value ->> 0 AS cell_id, b.reporter AS reporter, b.iso3 AS iso3, b.m49 AS m49, b.year AS year,
            s.indicator AS indicator, s.series AS series, s.iccs AS iccs, s.iccs_level AS iccs_level,
            s.breakdown AS breakdown, CAST(j.value ->> 2 AS REAL) AS value, j.value ->> 3 AS status,
            j.value ->> 4 AS national_code, CAST(j.value ->> 5 AS REAL) AS share, b.id AS block_id,
            b.submission_id AS submission_id
        FROM observation_block b JOIN json_each(b.observations) j JOIN observation_series s ON s.id = j.value ->> 1
        """

    /// The `cell` view of version 5 and later: one row per cell vintage of every block, as the table of
    /// version 3 was. A raw value left out is the digits of the value (`CellBlock.impliedRaw`).
    static let cellView = """
        CREATE VIEW cell AS
        SELECT b.first_cell + j.key AS id, b.submission_id AS submission_id, b.reporter AS reporter, b.year AS year,
            b.table_id AS table_id, s.variable AS variable, s.breakdown AS breakdown,
            coalesce(j.value ->> 6, 'report') AS action, CAST(j.value ->> 2 AS REAL) AS value,
            coalesce(j.value ->> 4, CASE WHEN j.value ->> 2 IS NULL THEN '' ELSE printf('%d', j.value ->> 2) END)
                AS raw_value,
            j.value ->> 3 AS status, coalesce(j.value ->> 5, '') AS note, j.value ->> 1 AS line,
            b.valid_from AS valid_from, e.valid_to AS valid_to
        FROM cell_block b JOIN json_each(b.cells) j JOIN cell_slot s ON s.id = j.value ->> 0
            LEFT JOIN cell_end e ON e.cell_id = b.first_cell + j.key
        """

    /// The `cell` view of version 4, every text in the blocks.
    static let cellViewV4 = """
        CREATE VIEW cell AS
        SELECT b.first_cell + j.key AS id, b.submission_id AS submission_id, b.reporter AS reporter, b.year AS year,
            b.table_id AS table_id, j.value ->> 0 AS variable, j.value ->> 1 AS breakdown, j.value ->> 2 AS action,
            CAST(j.value ->> 3 AS REAL) AS value, j.value ->> 4 AS raw_value, j.value ->> 5 AS status,
            j.value ->> 6 AS note, j.value ->> 7 AS line, b.valid_from AS valid_from, e.valid_to AS valid_to
        FROM cell_block b JOIN json_each(b.cells) j LEFT JOIN cell_end e ON e.cell_id = b.first_cell + j.key
        """

    /// Version 5: every block of version 4 written again with its cells' slots numbered (`CellBlock`),
    /// block by block in id order; then the view over them.
    static func numberCellSlots(_ db: Database) throws {
        let slots = try CellSlots(db: db)
        let update = try db.statement("UPDATE cell_block SET cells = ? WHERE id = ?")
        var ids: [Int64] = []
        try db.forEachRow("SELECT id FROM cell_block ORDER BY id") { ids.append($0.int64(0)) }
        var json = ByteWriter(capacity: 1 << 16)
        for id in ids {
            try db.forEachRow("SELECT table_id, cells FROM cell_block WHERE id = ?", [id]) { r in
                let table = r.column(0).string ?? ""
                json.removeAll()
                try CellBlock.V4.forEach(in: r.textBytes(1)) { _, e in
                    let slot = try slots.id(
                        table: table, slot: CellSlots.Slot(variable: e.variable.string, breakdown: e.breakdown.string))
                    CellBlock.append(
                        slot: slot, line: Int(e.line), value: e.value, status: e.status.string, raw: e.raw.string,
                        note: e.note.string, action: e.action.string, to: &json)
                }
            }
            BlockJSON.close(&json)
            try update.execute(json.withBytes { String(decoding: $0, as: UTF8.self) }, id)
        }
        try db.execute(cellView)
    }

    /// Version 4: the cell rows of version 3 into blocks, in id order and keeping their ids (a block
    /// ends wherever ids do not follow on), by the writer ingest uses; ends into `cell_end`. Then the
    /// view takes the table's name.
    static func moveCellsIntoBlocks(_ db: Database) throws {
        var writer: CellBlockWriter?
        var writing: (submission: Int, validFrom: String)?
        let end = try db.statement("INSERT INTO cell_end (cell_id, valid_to) VALUES (?, ?)")
        try db.forEachRow(
            """
            SELECT id, submission_id, reporter, year, table_id, variable, breakdown, action, value, raw_value,
                status, note, line, valid_from, valid_to
            FROM cell ORDER BY id
            """
        ) { r in
            let submission = Int(r.int64(1))
            let validFrom = r.column(13).string ?? ""
            if writing?.submission != submission || writing?.validFrom != validFrom {
                try writer?.finish()
                writer = try CellBlockWriter(
                    db: db, submission: submission, validFrom: validFrom, maxBytes: .max, textsInBlocks: true)
                writing = (submission, validFrom)
            }
            let id = Int(r.int64(0))
            try writer?.add(
                id: id, reporter: r.column(2).string ?? "", table: r.column(4).string ?? "", year: Int(r.int64(3)),
                variable: r.column(5).string ?? "", breakdown: r.column(6).string ?? "",
                action: r.column(7).string ?? "", value: r.column(8).double, raw: r.column(9).string ?? "",
                status: r.column(10).string ?? "", note: r.column(11).string ?? "", line: Int(r.int64(12)))
            if let validTo = r.column(14).string { try end.execute(id, validTo) }
        }
        try writer?.finish()
        try db.execute("DROP TABLE cell")
        try db.execute(cellViewV4)
    }

    /// Version 3: the observation rows of version 2 into blocks, in their order, by the writer ingest
    /// uses (figures are written as they were read, bit for bit); then the view takes the table's name.
    static func moveObservationsIntoBlocks(_ db: Database) throws {
        var writer: ObservationBlockWriter?
        var writing: (submission: Int, validFrom: String)?
        try db.forEachRow(
            """
            SELECT o.cell_id, o.reporter, o.iso3, o.m49, o.year, o.indicator, o.series, o.iccs, o.iccs_level,
                o.breakdown, o.value, o.status, o.national_code, o.share, c.submission_id, c.valid_from
            FROM observation o JOIN cell c ON c.id = o.cell_id ORDER BY c.submission_id, o.id
            """
        ) { r in
            let submission = Int(r.int64(14))
            let validFrom = r.column(15).string ?? ""
            if writing?.submission != submission || writing?.validFrom != validFrom {
                try writer?.finish()
                writer = try ObservationBlockWriter(
                    db: db, submission: submission, validFrom: validFrom, everyShare: true)
                writing = (submission, validFrom)
            }
            try writer?.add(
                cell: Int(r.int64(0)), reporter: r.column(1).string ?? "", iso3: r.column(2).string ?? "",
                m49: r.column(3).string ?? "", year: Int(r.int64(4)),
                series: .init(
                    indicator: r.column(5).string ?? "", series: r.column(6).string ?? "", iccs: r.column(7).string,
                    breakdown: r.column(9).string ?? ""),
                level: r.column(8).int, value: r.column(10).double, status: r.column(11).string ?? "",
                national: r.column(12).string, share: r.column(13).double ?? 1)
        }
        try writer?.finish()
        try db.execute("DROP TABLE observation")
        try db.execute(observationViewV3)
    }

    /// Brings the database to the latest version; refuses a store written by a newer cts.
    public static func migrate(_ db: Database) throws {
        try db.transaction {
            let current = try db.scalar("PRAGMA user_version")?.int ?? 0
            guard current <= latest else {
                throw DatabaseError(
                    code: 0,
                    message: "The store \(db.path) has schema version \(current), newer than this cts knows "
                        + "(\(latest)). Use a newer cts.")
            }
            for version in current..<latest { try apply(version + 1, to: db) }
        }
    }
}
