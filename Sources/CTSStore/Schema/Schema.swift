/// The store's schema: plain relational tables with primary and foreign keys, the indexes that serve the
/// questions people ask (docs/STORE.md), and views that join the texts back in.
///
/// Frozen: a store written with these texts is at `version`. A change to the schema is a new migration
/// in `Migrations` (SQL), which a new store runs too, never an edit of a released text.
public enum Schema {
    /// The version `PRAGMA user_version` holds for a store with this schema.
    public static let version = 8

    /// Creates every table, index and view of a new store: version 7's text, then each later step, so
    /// that a new store and a converted one have the same schema to the letter.
    static let sql = version7 + "\n" + Migrations.workbookSheets

    /// The schema of version 7, the first with cells and figures as rows (frozen).
    static let version7 = """
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
            cells INTEGER NOT NULL,
            fingerprint TEXT NOT NULL
        );
        CREATE INDEX submission_received ON submission(received_at);
        CREATE TABLE finding (
            id INTEGER PRIMARY KEY,
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
        CREATE TABLE slot (
            id INTEGER PRIMARY KEY,
            table_id TEXT NOT NULL,
            variable TEXT NOT NULL,
            breakdown TEXT NOT NULL,
            UNIQUE (table_id, variable, breakdown)
        );
        CREATE INDEX slot_variable ON slot(variable);
        CREATE TABLE series (
            id INTEGER PRIMARY KEY,
            indicator TEXT NOT NULL,
            series TEXT NOT NULL,
            iccs TEXT,
            iccs_level INTEGER,
            breakdown TEXT NOT NULL,
            UNIQUE (indicator, series, iccs, breakdown)
        );
        CREATE INDEX series_name ON series(series);
        CREATE INDEX series_iccs ON series(iccs);
        CREATE TABLE place (
            id INTEGER PRIMARY KEY,
            reporter TEXT NOT NULL,
            iso3 TEXT NOT NULL,
            m49 TEXT NOT NULL,
            UNIQUE (reporter, iso3, m49)
        );
        CREATE TABLE cell_vintage (
            id INTEGER PRIMARY KEY,
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            reporter TEXT NOT NULL,
            year INTEGER NOT NULL,
            slot_id INTEGER NOT NULL REFERENCES slot(id),
            withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
            value REAL,
            raw_value TEXT,
            status TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            line INTEGER NOT NULL,
            ended_by INTEGER REFERENCES submission(id),
            CHECK (ended_by IS NULL OR ended_by >= submission_id)
        );
        CREATE INDEX cell_vintage_key ON cell_vintage(reporter, slot_id, year);
        CREATE INDEX cell_vintage_submission ON cell_vintage(submission_id);
        CREATE INDEX cell_vintage_ended ON cell_vintage(ended_by) WHERE ended_by IS NOT NULL;
        CREATE TABLE observation (
            cell_id INTEGER NOT NULL REFERENCES cell_vintage(id),
            series_id INTEGER NOT NULL REFERENCES series(id),
            place_id INTEGER NOT NULL REFERENCES place(id),
            value REAL,
            status TEXT NOT NULL,
            national_code TEXT,
            share REAL NOT NULL DEFAULT 1,
            PRIMARY KEY (cell_id, series_id)
        ) WITHOUT ROWID;
        CREATE INDEX observation_by_series ON observation(series_id);
        CREATE TABLE national_mapping (
            id INTEGER PRIMARY KEY,
            submission_id INTEGER NOT NULL REFERENCES submission(id),
            cell_id INTEGER NOT NULL REFERENCES cell_vintage(id),
            national_code TEXT NOT NULL,
            national_label TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('mapped', 'split', 'excluded', 'unmapped')),
            iccs TEXT,
            share REAL,
            value REAL
        );
        CREATE INDEX national_mapping_cell ON national_mapping(cell_id);
        CREATE INDEX national_mapping_submission ON national_mapping(submission_id);
        CREATE VIEW cell AS
        SELECT c.id AS id, c.submission_id AS submission_id, c.reporter AS reporter, c.year AS year,
            s.table_id AS table_id, s.variable AS variable, s.breakdown AS breakdown,
            CASE c.withdrawn WHEN 1 THEN 'withdraw' ELSE 'report' END AS action, c.value AS value,
            coalesce(c.raw_value, CASE WHEN c.value IS NULL THEN '' ELSE printf('%d', CAST(c.value AS INTEGER)) END)
                AS raw_value,
            c.status AS status, c.note AS note, c.line AS line, f.received_at AS valid_from,
            t.received_at AS valid_to
        FROM cell_vintage c JOIN slot s ON s.id = c.slot_id JOIN submission f ON f.id = c.submission_id
            LEFT JOIN submission t ON t.id = c.ended_by;
        CREATE VIEW observation_detail AS
        SELECT o.cell_id AS cell_id, c.reporter AS reporter, p.iso3 AS iso3, p.m49 AS m49, c.year AS year,
            s.indicator AS indicator, s.series AS series, s.iccs AS iccs, s.iccs_level AS iccs_level,
            s.breakdown AS breakdown, o.value AS value, o.status AS status, o.national_code AS national_code,
            o.share AS share, c.submission_id AS submission_id, f.received_at AS valid_from,
            t.received_at AS valid_to
        FROM observation o JOIN cell_vintage c ON c.id = o.cell_id JOIN series s ON s.id = o.series_id
            JOIN place p ON p.id = o.place_id JOIN submission f ON f.id = c.submission_id
            LEFT JOIN submission t ON t.id = c.ended_by;
        CREATE VIEW current_observation AS
        SELECT o.cell_id AS cell_id, c.reporter AS reporter, p.iso3 AS iso3, p.m49 AS m49, c.year AS year,
            s.indicator AS indicator, s.series AS series, s.iccs AS iccs, s.iccs_level AS iccs_level,
            s.breakdown AS breakdown, o.value AS value, o.status AS status, o.national_code AS national_code,
            o.share AS share, c.submission_id AS submission_id
        FROM observation o JOIN cell_vintage c ON c.id = o.cell_id JOIN series s ON s.id = o.series_id
            JOIN place p ON p.id = o.place_id
        WHERE c.ended_by IS NULL;
        """
}
