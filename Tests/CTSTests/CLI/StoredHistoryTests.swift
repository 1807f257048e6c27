import CTSCLI
import CTSCore
import CTSIO
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

    /// A return of many countries, read country by country, keeps only a few countries' history at once;
    /// every country still gets its own previous year.
    @Test func eachCountryOfALargeReturnFindsItsOwnHistory() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let countries = ["ARG", "AUS", "BRA", "CAN", "CHL", "DEU", "ESP", "FRA", "IND", "ITA", "JPN", "KEN", "MEX"]
        func rows(_ year: Int, theft: String) -> [[String]] {
            countries.flatMap { code in
                ReturnFixture.requiredRows(year: year, value: "400").map { row in
                    var row = row
                    row[0] = code
                    if row[3] == "theft" { row[7] = theft }
                    return row
                }
            }
        }
        #expect(runCTS(["ingest", dir.write("2019.csv", returnCSV(rows(2019, theft: "400"))), "--db", db]).status == 0)
        let checked = runCTS(["validate", dir.write("2020.csv", returnCSV(rows(2020, theft: "1200"))), "--db", db])
        #expect(
            checked.out.components(separatedBy: "offences-year-on-year").count - 1 == countries.count, "\(checked.out)")
        #expect(ReturnHistory.countriesInFlight < countries.count)
    }

    @Test func theHistoryLetsGoOfTheOldestReporters() {
        let history = ReporterHistory()
        let key = { (c: String) in CellKey(country: c, year: 2019, table: "t", variable: "v", breakdown: []) }
        let cell = { (c: String) in
            ReturnCell(
                key: key(c), value: 1, rawValue: "1", status: .normal, note: "",
                location: SourceLocation(file: "f", line: 1, column: 1))
        }
        struct One: CellLookup {
            let only: ReturnCell
            func cell(_ key: CellKey) -> ReturnCell? { key == only.key ? only : nil }
        }
        for c in ["A", "B", "C"] { history.add(c, One(only: cell(c)), keepingAtMost: 2) }
        #expect(!history.holds("A") && history.holds("B") && history.holds("C"))
        #expect(history.cell(key("C"))?.value == 1 && history.cell(key("A")) == nil)
    }
}
