import CTSCLI
import CTSCore
import CTSIO
import CTSStore
import Foundation
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

    /// A correction that revises 2018 by 30% and sends a 2019 far outside the series: the terminal, the
    /// JSON and CSV reports, the feedback report and the store all say so; `--no-history` says nothing.
    @Test func revisionsAndOutliersReachEveryOutput() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let stored = (2015...2018).flatMap { ReturnFixture.requiredRows(year: $0, value: "400") }
        let earlier = dir.write("KEN-2018.csv", returnCSV(stored))
        #expect(runCTS(["ingest", earlier, "--db", db, "--received-at", "2026-03-02"]).status == 0)
        var rows = ReturnFixture.requiredRows(year: 2018, value: "400") + ReturnFixture.requiredRows(year: 2019, value: "400")
        rows[4][7] = "520"  // 2018 theft revised by 30%
        rows[12][7] = "2000"  // 2019 theft: five times 2018
        let file = dir.write("KEN-2019.csv", returnCSV(rows))

        let checked = runCTS(["validate", file, "--db", db])
        #expect(checked.status == 0, "\(checked.out)")
        #expect(checked.out.contains("Revisions of stored figures"), "\(checked.out)")
        #expect(
            checked.out.contains(
                "Revises the stored 2018 figure 400, from \(earlier) (received 2026-03-02) line 30, to 520 (+30.0%)"),
            "\(checked.out)")
        // Against a flat history both the revised 2018 (+30%) and 2019 (+285% on it) stand out.
        #expect(checked.out.components(separatedBy: "history.outlier").count - 1 == 2, "\(checked.out)")
        #expect(checked.out.contains("2019: 2,000 is +284.6% on 2018 (520)"), "\(checked.out)")
        #expect(checked.out.contains("1 stored figure revised"), "\(checked.out)")
        let alone = runCTS(["validate", file, "--db", db, "--no-history"])
        #expect(!alone.out.contains("revision.") && !alone.out.contains("history.outlier"), "\(alone.out)")

        let json = runCTS(["validate", file, "--db", db, "--format", "json"]).out
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let report = (parsed?["returns"] as? [[String: Any]])?.first
        #expect(report?["revisions"] as? Int == 1)
        let revision = (report?["findings"] as? [[String: Any]])?.compactMap { $0["revision"] as? [String: Any] }.first
        #expect(revision?["old"] as? String == "400" && revision?["new"] as? String == "520", "\(json)")
        #expect(revision?["replaces"] as? String == "\(earlier) (received 2026-03-02)")

        let csvPath = dir.path + "/findings.csv"
        _ = runCTS(["validate", file, "--db", db, "--report", csvPath])
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8)
        #expect(csv.split(separator: "\n").first?.hasSuffix("old_value,old_status,new_value,new_status,change,replaces") == true)
        #expect(csv.contains(",400,A,520,A,0.300000,\(earlier) (received 2026-03-02)"), "\(csv)")

        #expect(runCTS(["report", file, "--db", db, "--output", dir.path + "/reports"]).status == 0)
        let html = try String(contentsOfFile: dir.path + "/reports/KEN-2019.html", encoding: .utf8)
        #expect(html.contains("<h2>Revisions of stored figures</h2>"))
        #expect(html.contains("<td>400</td><td>520</td><td class=\"up\">+30.0%</td>"), "\(html)")
        #expect(html.contains("2000<span class=\"mark\">◆</span>"))
        #expect(html.contains("fill=\"#c62828\""))  // the outlier in the sparkline

        // Ingested, the revision is stored with the submission's findings, where SQL finds it.
        #expect(runCTS(["ingest", file, "--db", db]).status == 0)
        let store = try Store(path: db)
        let kinds = try store.db.rows("SELECT rule, kind FROM finding WHERE kind = 'revision'")
        #expect(kinds.map { $0.map(\.string) } == [["revision.large", "revision"]], "\(kinds)")
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
        for c in ["A", "B", "C"] { history.add(c, MemoryReporter([(key(c), 1, .normal)]), keepingAtMost: 2) }
        #expect(!history.holds("A") && history.holds("B") && history.holds("C"))
        #expect(history.cell(key("C"))?.value == 1 && history.cell(key("A")) == nil)
    }
}
