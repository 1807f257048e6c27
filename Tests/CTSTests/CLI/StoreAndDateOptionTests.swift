import CTSCLI
import CTSCore
import CTSStore
import Foundation
import Testing

/// Stores that do not exist, output folders that do not yet, and dates that cannot be.
@Suite struct StoreAndDateOptionTests {
    @Test(arguments: [
        ("2026-06-30", "2026-06-30T23:59:59.999999Z"), ("2024-02-29", "2024-02-29T23:59:59.999999Z"),
        ("2026-06-30T12:00:00Z", "2026-06-30T12:00:00.000000Z"), ("2026-06-30T12:00Z", "2026-06-30T12:00:00.000000Z"),
        ("2026-06-30T14:05:00+02:00", "2026-06-30T12:05:00.000000Z"),
        ("2026-01-01T00:30:00+0100", "2025-12-31T23:30:00.000000Z"),
        ("2026-06-30T12:00:00.5-03:00", "2026-06-30T15:00:00.500000Z"),
    ])
    func realDatesAndTimesAreRead(_ text: String, _ utc: String) {
        #expect(Timestamp.parse(text) == utc)
    }

    @Test(arguments: [
        "2027-06-31", "2026-02-29", "2026-13-01", "2026-00-10", "2026-06-30T24:00:00Z", "2026-06-30T12:60:00Z",
        "2026-06-30T12:00:00", "2026-06-30T12:00:00+25:00", "2026-06-30T12:00:00.1234567Z", "30/06/2026", "",
    ])
    func impossibleDatesAreRefused(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func ingestRefusesAReceivedTimeInTheFutureOrThatCannotBe() {
        let dir = TemporaryDirectory()
        let file = dir.write("KEN.csv", returnCSV(ReturnFixture.requiredRows()))
        for date in ["2999-01-01", "2027-06-31"] {
            let result = runCTS(["ingest", file, "--db", dir.path + "/cts.sqlite", "--received-at", date])
            #expect(result.status != 0)
            #expect(result.err.contains("--received-at"), "\(result.err)")
        }
        #expect(runCTS(["aggregate", "--as-of", "2026-02-30", "--db", dir.path + "/cts.sqlite"]).status != 0)
    }

    /// A mistyped --db created an empty store and published empty outputs with exit 0.
    @Test func commandsThatReadAStoreRefuseOneThatDoesNotExist() {
        let dir = TemporaryDirectory()
        let typo = dir.path + "/typo.sqlite"
        for command in [
            ["history", "KEN"], ["export", "--output", dir.path + "/out"],
            ["aggregate", "--output", dir.path + "/out"],
        ] {
            let result = runCTS(command + ["--db", typo])
            #expect(result.status == 2, "\(command)")
            #expect(
                result.err.contains("There is no store at \(typo)") && result.err.contains("cts ingest"),
                "\(result.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: typo))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
    }

    /// Export and ingest make the folders they write into.
    @Test func commandsThatWriteMakeTheirFolders() throws {
        let dir = TemporaryDirectory()
        let file = dir.write("KEN.csv", returnCSV(ReturnFixture.requiredRows()))
        let db = dir.path + "/new/folder/cts.sqlite"
        #expect(runCTS(["ingest", file, "--db", db]).status == 0)
        let release = dir.path + "/outputs/release-2026-06"
        let result = runCTS(["export", "--db", db, "--output", release])
        #expect(result.status == 0, "\(result.err)")
        #expect(FileManager.default.fileExists(atPath: release + "/observations.csv"))
        // And history says which filter found nothing.
        let none = runCTS(["history", "KEN", "--db", db, "--variable", "robery"])
        #expect(none.out.contains("No cells stored for KEN with variable robery"), "\(none.out)")
    }

    @Test func versionAndWhatARejectedOrStoredReturnSays() throws {
        #expect(runCTS(["--version"]).out.trimmingCharacters(in: .whitespacesAndNewlines) == CTS.version)
        let dir = TemporaryDirectory()
        var rows = ReturnFixture.requiredRows()
        rows[0][7] = "1,234"
        let bad = dir.write("bad.csv", returnCSV(rows))
        let db = ["--db", dir.path + "/cts.sqlite"]
        // The way to store it anyway is one that exists (run has no --allow-errors).
        let rejected = runCTS(["ingest", bad, "--format", "json"] + db)
        #expect(rejected.out.contains("cts ingest --allow-errors"), "\(rejected.out)")
        // A return stored with warnings says so again when it is met a second time.
        rows = ReturnFixture.requiredRows()
        rows[6][7] = "50"  // persons convicted above persons suspected: a warning
        let warned = dir.write("warned.csv", returnCSV(rows))
        _ = runCTS(["ingest", warned] + db)
        let again = runCTS(["ingest", warned, "--format", "json"] + db)
        #expect(again.out.contains("\"unchanged\""), "\(again.out)")
        #expect(!again.out.contains("\"warnings\" : 0"), "\(again.out)")
        // The outputs say which cts made them.
        #expect(runCTS(["aggregate", "--output", dir.path + "/out"] + db).status == 0)
        let metadata = try String(contentsOfFile: dir.path + "/out/trends_metadata.json", encoding: .utf8)
        #expect(metadata.contains("\"version\" : \"\(CTS.version)\""))
    }
}
