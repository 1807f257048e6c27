import CTSCLI
import CTSCore
import CTSStore
import Testing

/// A yearly return holds the new year only: `prev()` found no previous year in it and was skipped. With
/// the store behind the checks, the previous year comes from the store, and the finding names the
/// stored return it came from.
@Suite struct StoredHistoryTests {
    @Test func prevTakesThePreviousYearFromTheStore() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let earlier = dir.write("KEN-2019.csv", returnCSV(ReturnFixture.requiredRows(year: 2019, value: "400")))
        #expect(runCTS(["ingest", earlier, "--db", db, "--received-at", "2026-03-02"]).status == 0)
        var rows = ReturnFixture.requiredRows(year: 2020, value: "400")
        rows[4][7] = "1200"  // theft tripled
        let new = dir.write("KEN-2020.csv", returnCSV(rows))

        let checked = runCTS(["validate", new, "--db", db])
        #expect(checked.status == 0, "\(checked.out)")
        #expect(checked.out.contains("offences-year-on-year"), "\(checked.out)")
        #expect(checked.out.contains("Changed from 400 the year before to 1200"), "\(checked.out)")
        #expect(checked.out.contains("see also: stored \(earlier) (received 2026-03-02) line 6"), "\(checked.out)")

        // Alone, the return has no previous year: the check is skipped, as before.
        let alone = runCTS(["validate", new, "--db", db, "--no-history"])
        #expect(!alone.out.contains("offences-year-on-year"), "\(alone.out)")
        #expect(alone.out.contains("0 warnings") && checked.out.contains("1 warning"), "\(alone.out)\n\(checked.out)")

        // Ingest checks it the same way and records the warning.
        let stored = runCTS(["ingest", new, "--db", db, "--format", "json"])
        #expect(stored.out.contains("\"warnings\" : 1"), "\(stored.out)")
    }
}
