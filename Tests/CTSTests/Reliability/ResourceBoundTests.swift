import CTSCLI
import CTSCore
import CTSIO
import CTSStore
import Foundation
import Testing

/// Inputs whose size once decided the memory a command took: findings are kept up to a limit per rule
/// and counted past it, a header's bad columns make a few findings, not one each.
@Suite struct ResourceBoundTests {
    /// A million duplicate rows held a million findings (1.33 GB). Past `FindingLimit.perRule` of one rule,
    /// findings are counted, not kept, and every count stays exact: in the terminal, the JSON report, the
    /// feedback report and the store.
    @Test func findingsPastTheLimitOfARuleAreCountedNotKept() throws {
        let dir = TemporaryDirectory()
        let extra = FindingLimit.perRule + 1_500
        let rows = ReturnFixture.requiredRows() + Array(repeating: ReturnFixture.requiredRows()[3], count: extra)
        let file = dir.write("dup.csv", returnCSV(rows))
        let json = dir.path + "/findings.json"
        let validated = runCTS(["validate", file, "--report", json])
        #expect(validated.status == 1)
        #expect(validated.out.contains("\(extra) errors"), "\(validated.out.suffix(300))")
        #expect(validated.out.contains("… and 1500 more cell.duplicate errors"), "\(validated.out.suffix(600))")
        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        let only = (report["returns"] as! [[String: Any]])[0]
        #expect(only["errors"] as? Int == extra)
        let listed = (only["findings"] as! [[String: Any]]).filter { $0["rule"] as? String == "cell.duplicate" }
        #expect(listed.count == FindingLimit.perRule)
        let omitted = only["omitted"] as! [[String: Any]]
        #expect(
            omitted.count == 1 && omitted[0]["count"] as? Int == 1_500
                && omitted[0]["rule"] as? String == "cell.duplicate")

        let html = dir.path + "/reports"
        #expect(runCTS(["report", file, "--output", html]).status == 0)
        let page = try String(contentsOfFile: html + "/dup.html", encoding: .utf8)
        #expect(page.contains("\(extra) errors") && page.contains("… and 1500 more cell.duplicate errors"))

        let db = dir.path + "/cts.sqlite"
        #expect(runCTS(["ingest", file, "--db", db, "--allow-errors"]).status == 0)
        let again = runCTS(["ingest", file, "--db", db, "--format", "json"])
        #expect(again.out.contains("\"errors\" : \(extra)"), "\(again.out)")
    }

    /// A return read country by country kept every finding of every country's checks until the end: a
    /// history re-sent with every figure changed held 8.5 million findings (8.8 GB). The checks' findings
    /// are now limited as each country is checked, and the counts stay exact.
    @Test func theChecksOfEachCountryAreLimitedAsTheyCome() throws {
        let dir = TemporaryDirectory()
        let countries = Repo.reference.countries.countries.prefix(150).map(\.iso3)
        // Male + female above the total: one breakdown.total finding per country-year.
        var rows: [[String]] = []
        for country in countries {
            for year in 2015...2022 {
                for (sex, value) in [("_T", "5"), ("M", "10"), ("F", "10")] {
                    rows.append([country, "\(year)", "homicide_victims", "homicide", sex, "", "", value, "", ""])
                }
            }
        }
        let file = dir.write("all.csv", returnCSV(rows))
        let parsed = try ReturnFixture.reader().check(path: file)
        let total = countries.count * 8
        #expect(parsed.findings.count { $0.ruleID == "breakdown.total" } == FindingLimit.perRule)
        let omitted = parsed.omitted.first { $0.ruleID == "breakdown.total" }
        #expect(omitted?.count == total - FindingLimit.perRule, "\(parsed.omitted)")
    }

    /// 4 MB of commas took 3.9 GB: a finding per unnamed column. Now one finding names them all, and a
    /// header of thousands of unknown or repeated columns gives twenty findings and one for the rest.
    @Test func aHeaderOfManyBadColumnsMakesAFewFindings() throws {
        let dir = TemporaryDirectory()
        let row = ReturnFixture.requiredRows()[0]
        let commas = dir.write(
            "commas.csv",
            ReturnFixture.header.joined(separator: ",") + String(repeating: ",", count: 100_000) + "\n"
                + row.joined(separator: ",") + "\n")
        let parsed = try ReturnFixture.reader().check(path: commas)
        let unnamed = parsed.findings.filter { $0.ruleID == "column.empty-name" }
        #expect(unnamed.count == 1)
        #expect(
            unnamed.first?.message.hasPrefix("100000 columns have no name: columns 11, 12, 13, … and 100010") == true)
        #expect(unnamed.first?.location?.column == 11)

        let names = (1...5_000).map { "extra\($0)" }
        let unknown = dir.write(
            "unknown.csv",
            (ReturnFixture.header + names + names).joined(separator: ",") + "\n"
                + (row + Array(repeating: "", count: 10_000)).joined(separator: ",") + "\n")
        let found = try ReturnFixture.reader().check(path: unknown).findings
        let unknownColumns = found.filter { $0.ruleID == "column.unknown" }
        #expect(unknownColumns.count == ReturnRowDecoder.listedColumns + 1)
        // A repeated unknown name is unknown too.
        #expect(unknownColumns.contains { $0.message.hasPrefix("9980 more columns are not part of questionnaire") })
        let repeated = found.filter { $0.ruleID == "column.duplicate" }
        #expect(repeated.count == ReturnRowDecoder.listedColumns + 1)
        #expect(repeated.contains { $0.message.hasPrefix("4980 more columns repeat an earlier one") })
    }

    /// `report` on 80,000 national codes with errors took 53 s: every variable searched every finding of
    /// its table. Each code still gets its row, grouped once; the first `FindingLimit.perRule` findings
    /// of the rule are shown and the rest counted.
    @Test func aReportOnThousandsOfNationalCodesListsEachOnce() throws {
        let dir = TemporaryDirectory()
        let codes = 3_000
        let rows =
            ReturnFixture.requiredRows()
            + (1...codes).map { ["KEN", "2020", "national_offences", "N\($0)", "", "", "", "-\($0)", "", ""] }
        let file = dir.write("national.csv", returnCSV(rows))
        let result = runCTS(["report", file, "--output", dir.path + "/reports"])
        #expect(result.status == 0, "\(result.err)")
        let page = try String(contentsOfFile: dir.path + "/reports/national.html", encoding: .utf8)
        #expect(page.components(separatedBy: "national code N").count - 1 == codes)
        #expect(page.components(separatedBy: "<td class=\"error\"").count - 1 == FindingLimit.perRule)
        #expect(
            page.contains("… and \(codes - FindingLimit.perRule) more value.negative errors"), "\(page.prefix(3000))")
    }
}
