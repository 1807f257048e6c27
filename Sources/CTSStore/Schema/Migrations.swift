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
    ]

    public static var latest: Int { all.count }

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
            for version in current..<latest {
                try db.execute(all[version])
                try db.execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }
}
