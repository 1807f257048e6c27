import CTSCLI
import CTSCore
import CTSIO
import Foundation
import Testing

@testable import CTSStore

/// The store as plain rows: a block store (version 6) converts with its outputs unchanged, keys hold, and
/// the documented queries use indexes.
@Suite struct StoreSchemaTests {
    static let fixture = Repo.path("Tests/Fixtures/store-v6")

    /// A copy of the version-6 fixture store (written by the block format, with a revision, a withdrawal
    /// and national categories), not yet opened by cts.
    static func blockStore(in dir: TemporaryDirectory) throws -> String {
        let path = dir.path + "/v6.sqlite"
        let db = try Database(path: path)
        try db.execute(try String(contentsOfFile: fixture + "/v6.sql", encoding: .utf8))
        #expect(try db.scalar("PRAGMA user_version")?.int == 6)
        return path
    }

    /// The same returns ingested by this cts, at the same times.
    static func rowStore(in dir: TemporaryDirectory) -> String {
        let path = dir.path + "/v6.sqlite"
        let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference"), "--db", path]
        let samples = ["CHL-2020.csv", "FRA-2020.csv", "GBR-2018.csv", "KEN-2020.csv"].map {
            Repo.path("submissions/" + $0)
        }
        #expect(runCTS(["ingest"] + samples + ["--received-at", "2026-03-01"] + w).status == 0)
        #expect(
            runCTS(
                [
                    "ingest", fixture + "/KEN-2020-revision.csv", "--received-at", "2026-04-01T10:00:00Z",
                    "--allow-errors",
                ]
                    + w
            ).status == 0)
        #expect(
            runCTS(
                [
                    "ingest", fixture + "/KEN-national.csv", "--correspondence", fixture + "/ken-iccs.csv",
                    "--received-at", "2026-05-01", "--allow-errors",
                ] + w
            ).status == 0)
        // Named as the fixture's returns were: by their bare file names.
        let db = try! Database(path: path)
        for folder in [Repo.path("submissions"), fixture] {
            try! db.run("UPDATE submission SET file_name = replace(file_name, ?, '')", [folder + "/"])
        }
        return path
    }

    /// Export (now and as of a date), history and aggregate of the store at `path`, by file name relative
    /// to their folder, with the store's path written as the fixture's was and without the line naming
    /// cts's version in the metadata (added since the fixture's binary, and changed by every release).
    static func outputs(of path: String, in dir: TemporaryDirectory) throws -> [String: String] {
        let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference"), "--db", path]
        let out = dir.path + "/out"
        for folder in ["export", "export-asof"] {
            try FileManager.default.createDirectory(atPath: out + "/" + folder, withIntermediateDirectories: true)
        }
        #expect(runCTS(["export", "--output", out + "/export"] + w).status == 0)
        #expect(runCTS(["export", "--as-of", "2026-03-15", "--output", out + "/export-asof"] + w).status == 0)
        #expect(runCTS(["aggregate", "--output", out + "/agg"] + w).status == 0)
        var files: [String: String] = [:]
        files["./history-KEN.txt"] = runCTS(["history", "KEN", "--db", path]).out
        files["./history-KEN.json"] = runCTS(["history", "KEN", "--db", path, "--format", "json"]).out
        let walker = FileManager.default.enumerator(atPath: out)!
        while let name = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: out + "/" + name, isDirectory: &isFolder), !isFolder.boolValue
            else { continue }
            files["./" + name] = try String(contentsOfFile: out + "/" + name, encoding: .utf8)
                .replacingOccurrences(of: path, with: "v6.sqlite")
                .replacingOccurrences(of: ",\n  \"version\" : \"\(CTS.version)\"", with: "")
        }
        return files
    }

    static func sha256(_ text: String) -> String {
        var hasher = SHA256()
        hasher.update(Array(text.utf8))
        return hasher.finalize()
    }

    /// What the block store's own cts wrote, as `sha256sum` listed it.
    static func expected() throws -> [String: String] {
        var result: [String: String] = [:]
        for line in try String(contentsOfFile: fixture + "/expected.sha256", encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            result[parts[1].trimmingCharacters(in: .whitespaces)] = String(parts[0])
        }
        return result
    }

    @Test func aBlockStoreConvertsWithEveryOutputUnchanged() throws {
        let dir = TemporaryDirectory()
        let path = try Self.blockStore(in: dir)
        let outputs = try Self.outputs(of: path, in: dir)
        let expected = try Self.expected()
        #expect(outputs.count == expected.count)
        for (name, digest) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(outputs[name].map(Self.sha256) == digest, "\(name)")
        }
        let store = try Store(path: path)
        #expect(try store.db.scalar("PRAGMA user_version")?.int == Schema.version)
        try Self.checkKeys(store.db)
        // No table of the block format is left.
        let tables = try store.db.rows("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").map {
            $0[0].string ?? ""
        }
        #expect(
            tables == [
                "cell_vintage", "finding", "national_mapping", "observation", "place", "series", "slot", "submission",
            ])
    }

    /// Ingested afresh, the same returns give the same outputs and the same rows as the converted store.
    ///
    /// One difference is meant: two returns were stored with errors by the fixture's binary (a correction,
    /// and a national-categories return, both short of required figures then); today they are checked
    /// with the store behind them, which holds the correction's missing figures, and the national return
    /// holds no table with required figures, so both are clean. Their outcome, counts and findings differ,
    /// and so does the metadata's outcome; every figure and cell is the same.
    ///
    /// A second difference is meant: national figures mapped to an ICCS code now join the questionnaire's
    /// series of that code (`police_offences.theft`), where the fixture's binary kept them in
    /// `national_offences`; the converted store keeps its mapping until remapped. The files holding
    /// those figures differ, and so do the observation and series rows of national figures; everything
    /// else is the same.
    @Test func theSameReturnsIngestedAfreshGiveTheConvertedStore() throws {
        let fresh = TemporaryDirectory()
        let path = Self.rowStore(in: fresh)
        let outputs = try Self.outputs(of: path, in: fresh)
        var differing: [String] = []
        for (name, digest) in try Self.expected() where name != "./agg/trends_metadata.json" {
            if outputs[name].map(Self.sha256) != digest { differing.append(name) }
        }
        // The charts of the three ICCS codes KEN's national figures map to, and the index that shows them.
        #expect(
            differing.sorted() == [
                "./agg/charts/offences_recorded_ICCS0101.svg", "./agg/charts/offences_recorded_ICCS020111.svg",
                "./agg/charts/offences_recorded_ICCS0401.svg", "./agg/index.html", "./agg/trends.csv",
                "./agg/trends/offences_recorded.csv", "./export/observations.csv", "./export/observations.sdmx.csv",
            ], "\(differing.sorted())")
        #expect(outputs["./export/observations.csv"]?.contains(",police_offences.theft,") == true)

        let converted = TemporaryDirectory()
        let blockStore = try Self.blockStore(in: converted)
        let convertedOutputs = try Self.outputs(of: blockStore, in: converted)
        // The metadata names the same inputs (the series and row counts differ with the national figures).
        func inputs(_ text: String?) -> Substring? {
            guard let text, let start = text.range(of: "\"inputs\""), let end = text.range(of: "\"options\"") else {
                return nil
            }
            return text[start.lowerBound..<end.lowerBound]
        }
        #expect(
            inputs(outputs["./agg/trends_metadata.json"])
                == inputs(
                    convertedOutputs["./agg/trends_metadata.json"]?.replacingOccurrences(
                        of: "\"accepted-with-errors\"", with: "\"accepted\"")))
        let old = try Store(path: blockStore)
        let new = try Store(path: path)
        for table in ["slot", "cell_vintage", "national_mapping"] {
            let sql = "SELECT * FROM \(table) ORDER BY 1, 2"
            #expect(try old.db.rows(sql) == new.db.rows(sql), "\(table)")
        }
        // Observations of the questionnaire's own variables are the same rows; national ones keep their
        // codes, ICCS codes and values, and now name the ICCS code's series.
        let own = "SELECT cell_id, value, status FROM observation WHERE national_code IS NULL ORDER BY 1, 2"
        #expect(try old.db.rows(own) == new.db.rows(own))
        let national =
            "SELECT o.cell_id, o.national_code, s.iccs, o.value FROM observation o JOIN series s ON s.id = o.series_id "
            + "WHERE o.national_code IS NOT NULL ORDER BY 1, 2, 3"
        #expect(try old.db.rows(national) == new.db.rows(national))
        let joined =
            "SELECT count(*) FROM observation o JOIN series s ON s.id = o.series_id "
            + "WHERE o.national_code IS NOT NULL AND s.series = 'national_offences' AND s.iccs IN ('0502', '0401')"
        #expect(try new.db.rows(joined)[0][0].int == 0)
        let submissions = """
            SELECT id, file_name, sha256, reporters, questionnaire_id, questionnaire_version, received_at, cells,
                fingerprint FROM submission ORDER BY id
            """
        #expect(try old.db.rows(submissions) == new.db.rows(submissions))
        #expect(try new.db.rows("SELECT count(*) FROM submission WHERE outcome <> 'accepted'")[0][0].int == 0)
        // The four sample returns met an empty store and were checked alone, as before. The correction
        // and the national return are now checked with the store behind them: their findings differ.
        let findings = """
            SELECT submission_id, rule, severity, kind, message, line, field, cell FROM finding
            WHERE submission_id <= 4 ORDER BY 1, 2, 6, 7, 5
            """
        #expect(try old.db.rows(findings) == new.db.rows(findings))
        #expect(try new.db.rows("SELECT count(*) FROM finding WHERE rule = 'variable.required'")[0][0].int == 0)
        try Self.checkKeys(new.db)
        // What ingest summed into each submission's fingerprint is what the rows give.
        let written = try new.db.rows("SELECT id, fingerprint FROM submission ORDER BY id")
        try new.db.transaction { try Fingerprints.recompute(new.db) }
        #expect(try new.db.rows("SELECT id, fingerprint FROM submission ORDER BY id") == written)
    }

    /// Every foreign key holds, and the views show every row of their tables.
    static func checkKeys(_ db: Database) throws {
        #expect(try db.rows("PRAGMA foreign_key_check").isEmpty)
        #expect(try db.scalar("PRAGMA foreign_keys")?.int == 1)
        #expect(try db.scalar("SELECT count(*) FROM cell")?.int == db.scalar("SELECT count(*) FROM cell_vintage")?.int)
        #expect(
            try db.scalar("SELECT count(*) FROM observation_detail")?.int
                == db.scalar("SELECT count(*) FROM observation")?.int)
    }

    @Test func foreignKeysAreEnforced() throws {
        let dir = TemporaryDirectory()
        let store = try Store(path: Self.rowStore(in: dir))
        #expect(throws: DatabaseError.self) {
            try store.db.run("INSERT INTO observation (cell_id, series_id, place_id, status) VALUES (999999, 1, 1, '')")
        }
        #expect(throws: DatabaseError.self) { try store.db.run("UPDATE cell_vintage SET ended_by = 999 WHERE id = 1") }
        #expect(throws: DatabaseError.self) { try store.db.run("DELETE FROM submission WHERE id = 1") }
    }

    @Test func storesThatAreNotThisCtsStoreAreRefusedAndLeftAlone() throws {
        let dir = TemporaryDirectory()
        func made(_ name: String, _ sql: String) throws -> String {
            let path = dir.path + "/" + name
            try Database(path: path).execute(sql)
            return path
        }
        let cases: [(String, StoreError.Kind)] = [
            (try made("other.sqlite", "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('x')"), .notAStore),
            (try made("negative.sqlite", "PRAGMA user_version = -1"), .unsupported),
            (try made("dev.sqlite", "CREATE TABLE submission (id); PRAGMA user_version = 5"), .unsupported),
            (try made("future.sqlite", "PRAGMA user_version = \(Schema.version + 1)"), .tooNew),
            (try made("broken.sqlite", "CREATE TABLE x (y); PRAGMA user_version = 6"), .corrupt),
        ]
        for (path, kind) in cases {
            let before = try Database(path: path).rows("SELECT type, name, sql FROM sqlite_schema ORDER BY name")
            #expect {
                try Store(path: path)
            } throws: { error in
                (error as? StoreError)?.kind == kind
            }
            #expect(try Database(path: path).rows("SELECT type, name, sql FROM sqlite_schema ORDER BY name") == before)
        }
        // On the command line: a message with the fix, exit 2.
        let result = runCTS(["history", "KEN", "--db", cases[0].0])
        #expect(result.status == 2)
        #expect(result.err.contains("cts did not make") && result.err.contains("fix:"))
    }

    /// The queries docs/STORE.md shows (bench/queries.sql): each is in the document, runs, and reads the
    /// big tables through an index, never by a full scan.
    @Test func documentedQueriesUseIndexes() throws {
        let queries = try StoreQueries.load()
        #expect(queries.count >= 8)
        let doc = try String(contentsOfFile: Repo.path("docs/STORE.md"), encoding: .utf8)
        let dir = TemporaryDirectory()
        let store = try Store(path: Self.rowStore(in: dir))
        for (name, sql) in queries {
            #expect(doc.contains(sql), "docs/STORE.md shows \(name)")
            let rows = try store.db.rows(sql)
            #expect(!rows.isEmpty, "\(name) finds rows in the fixture")
            let plan = try store.db.rows("EXPLAIN QUERY PLAN " + sql).map { $0[3].string ?? "" }
            let scans = plan.filter { detail in
                [
                    "SCAN c", "SCAN o", "SCAN m", "SCAN cell_vintage", "SCAN observation", "SCAN finding",
                    "SCAN national_mapping",
                ].contains { detail == $0 || detail.hasPrefix($0 + " ") }
            }
            #expect(scans.isEmpty, "\(name): \(plan)")
        }
    }
}

/// The documented queries of bench/queries.sql, by name.
enum StoreQueries {
    static func load() throws -> [(name: String, sql: String)] {
        let text = try String(contentsOfFile: Repo.path("bench/queries.sql"), encoding: .utf8)
        var result: [(String, String)] = []
        for part in text.components(separatedBy: "-- name: ").dropFirst() {
            let lines = part.split(separator: "\n", omittingEmptySubsequences: false)
            let sql = lines.dropFirst().joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            result.append((String(lines[0]), sql))
        }
        return result
    }

}

@Suite struct StoreVersion8Tests {
    /// A version-7 store (cells as rows, before workbooks) converts to version 8 with the same schema,
    /// to the letter, as a new store: `sheet_cell` on cell vintages, findings and the `cell` view.
    @Test func aVersion7StoreConvertsToTheSchemaOfANewStore() throws {
        let dir = TemporaryDirectory()
        let old = dir.path + "/v7.sqlite"
        let db = try Database(path: old)
        try db.execute(Schema.version7)
        try db.execute("PRAGMA user_version = 7")
        let converted = try Store(path: old)
        let fresh = try Store(path: dir.path + "/new.sqlite")
        let schema = "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name"
        #expect(try converted.db.rows(schema) == (try fresh.db.rows(schema)))
        #expect(try converted.db.scalar("PRAGMA user_version")?.int == 8)
        for table in ["cell_vintage", "finding", "cell"] {
            let columns = try converted.db.rows("SELECT name FROM pragma_table_info('\(table)')").map { $0[0].string ?? "" }
            #expect(columns.last == "sheet_cell", "\(table): \(columns)")
        }
    }
}
