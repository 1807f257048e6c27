import CTSCLI
import CTSCore
import CTSIO
import Foundation
import Testing

/// Chile's real table has eight rows cts cannot read; one bad row refused the whole table. With
/// `--skip-invalid-rows` the valid rows are loaded, every skipped row is listed with its reason, and the
/// national figures of the codes skipped stay unmapped and are counted as such.
@Suite struct CorrespondenceRowsTests {
    let columns = [
        "--code-column", "CUM", "--label-column", "GLOSA 2023", "--iccs-columns",
        "N1-2023 UNODC,N2-2023 UNODC,N3-2023 UNODC,N4-2023 UNODC",
    ]

    @Test func theValidRowsLoadAndTheSkippedOnesAreListed() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let table = Repo.path("Tests/Fixtures/chile/Final_TC_2023-extract.csv")
        let rows = [("101", "40"), ("202", "7"), ("544", "3"), ("999", "5")].map { code, value in
            ["CHL", "2020", "national_offences", code, "", "", "", value, "", ""]
        }
        let file = dir.write("CHL-2020.csv", returnCSV(rows))

        let refused = runCTS(["ingest", file, "--db", db, "--correspondence", table] + columns)
        #expect(refused.status != 0 && refused.err.contains("--skip-invalid-rows"), "\(refused.err)")

        let loaded = runCTS(
            ["ingest", file, "--db", db, "--correspondence", table, "--skip-invalid-rows"] + columns)
        #expect(loaded.status == 0, "\(loaded.out)\(loaded.err)")
        #expect(
            loaded.out.contains(
                "8 codes skipped for rows in error (listed below), their figures stay unmapped: 544, 706, 768, 7030, 10017, 12131, 22100, 22101"
            ), "\(loaded.out)")
        // Each skipped row with its line and reason.
        #expect(loaded.out.components(separatedBy: "National code ").count - 1 >= 8, "\(loaded.out)")
        #expect(loaded.out.contains("1 national figure left unmapped as their correspondence rows were skipped (codes 544)"))
        #expect(loaded.out.contains("1 excluded") && loaded.out.contains("2 mapped"), "\(loaded.out)")
    }
}

/// National figures mapped to an ICCS code join the questionnaire's series of that code, so a country
/// reporting in national categories counts in the regional totals; when it sends the standard table too,
/// the standard figure wins and the national one is kept as received.
@Suite struct NationalFiguresJoinTheICCSSeriesTests {
    func kenyaHomicide(_ files: [(String, [String])]) throws -> String? {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
        for (file, extra) in files {
            #expect(runCTS(["ingest", file, "--db", db, "--no-history"] + extra + w).status == 0)
        }
        #expect(runCTS(["aggregate", "--db", db, "--coverage", "0", "--output", dir.path + "/out"] + w).status == 0)
        let table = try CSVTable.read(path: dir.path + "/out/trends/offences_recorded.csv", required: ["group_code"])
        let h = table.header
        let (name, series, year, total) = (
            h.firstIndex(of: "group_name")!, h.firstIndex(of: "series")!, h.firstIndex(of: "year")!,
            h.firstIndex(of: "total")!
        )
        let row = table.records.first { (r: CSVRecord) -> Bool in
            r.fields[name] == "Eastern Africa" && r.fields[series] == "police_offences.homicide" && r.fields[year] == "2020"
        }
        return row?.fields[total]
    }

    @Test func nationalFiguresCountInTheRegionAndTheStandardTableWins() throws {
        let national = Repo.path("Tests/Fixtures/store-v6/KEN-national.csv")
        let mapping = ["--correspondence", Repo.path("Tests/Fixtures/store-v6/ken-iccs.csv")]
        // Kenya in national categories only: 101 and 102 (homicide, 0101) give 42 for the region.
        let alone = try kenyaHomicide([(national, mapping)])
        let standard = try kenyaHomicide([(Repo.path("submissions/KEN-2020.csv"), [])])
        let both = try kenyaHomicide([(Repo.path("submissions/KEN-2020.csv"), []), (national, mapping)])
        #expect(alone != nil && standard != nil)
        #expect(both == standard, "\(String(describing: both)) \(String(describing: standard))")
        #expect(alone != standard)
    }
}

/// Countries revise their correspondence tables: `cts remap` maps a country's stored national figures
/// again, as a new submission whose history keeps the old mapping.
@Suite struct RemapTests {
    @Test func chileIngestedWithoutATableThenRemappedCountsInLatinAmerica() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
        // Chile's codes: 12188 (ICCS 070111, within 0701 fraud), 866 and 13032 (07032, within 0703
        // corruption), 999 (excluded), 544 (a row the table gets wrong).
        let rows = [("12188", "120"), ("866", "30"), ("13032", "12"), ("999", "5"), ("544", "3")].map { code, value in
            ["CHL", "2020", "national_offences", code, "", "", "", value, "", ""]
        }
        let file = dir.write("CHL-2020.csv", returnCSV(rows))
        let first = runCTS(["ingest", file, "--db", db, "--received-at", "2026-03-01"] + w)
        #expect(first.out.contains("5 national figures kept as received but not normalized"), "\(first.out)")

        let table = Repo.path("Tests/Fixtures/chile/Final_TC_2023-extract.csv")
        let columns = [
            "--code-column", "CUM", "--label-column", "GLOSA 2023", "--iccs-columns",
            "N1-2023 UNODC,N2-2023 UNODC,N3-2023 UNODC,N4-2023 UNODC", "--skip-invalid-rows",
        ]
        // The same bytes again with the table: not a silent no-op.
        let again = runCTS(["ingest", file, "--db", db, "--correspondence", table] + columns + w)
        #expect(again.out.contains("To map them with this table: cts remap"), "\(again.out)")

        let remap = runCTS(
            ["remap", "CHL", "--db", db, "--correspondence", table, "--received-at", "2026-04-01"] + columns + w)
        #expect(remap.status == 0, "\(remap.out)\(remap.err)")
        #expect(remap.out.contains("Remapped CHL as submission 2: 5 national figures stored again"), "\(remap.out)")
        #expect(remap.out.contains("1 excluded") && remap.out.contains("3 mapped") && remap.out.contains("1 unmapped"))

        func fraud(asOf: String?) throws -> String? {
            let out = dir.path + "/out-\(asOf ?? "now")"
            #expect(
                runCTS(["aggregate", "--db", db, "--coverage", "0", "--output", out] + (asOf.map { ["--as-of", $0] } ?? []) + w)
                    .status == 0)
            let t = try CSVTable.read(path: out + "/trends.csv", required: ["group_code"])
            let (g, s, y, total) = (
                t.header.firstIndex(of: "group_code")!, t.header.firstIndex(of: "series")!,
                t.header.firstIndex(of: "year")!, t.header.firstIndex(of: "total")!
            )
            return t.records.first { (r: CSVRecord) -> Bool in
                r.fields[g] == "419" && r.fields[s] == "police_offences.fraud" && r.fields[y] == "2020"
            }?.fields[total]
        }
        // Now Chile's 120 counts in Latin America's fraud; as the store stood before the remap, nothing did.
        let now = try fraud(asOf: nil)
        #expect(now != nil && now != "", "\(String(describing: now))")
        #expect(try fraud(asOf: "2026-03-15") == nil)

        // The history keeps both vintages of a national figure.
        let history = runCTS(["history", "CHL", "--db", db, "--format", "json"])
        #expect(history.out.components(separatedBy: "\"variable\" : \"12188\"").count - 1 == 2, "\(history.out)")
    }
}

/// The feedback report of a return in national categories names each category and its ICCS code(s), and
/// the year-on-year check runs on them as on the standard table.
@Suite struct NationalCategoryReportTests {
    @Test func labelsMappingsAndYearOnYearChecks() throws {
        let dir = TemporaryDirectory()
        let rows = [
            ["KEN", "2019", "national_offences", "440", "", "", "", "30", "", ""],
            ["KEN", "2020", "national_offences", "440", "", "", "", "300", "", ""],
            ["KEN", "2020", "national_offences", "101", "", "", "", "40", "", ""],
            ["KEN", "2020", "national_offences", "900", "", "", "", "7", "", ""],
        ]
        let file = dir.write("KEN-national.csv", returnCSV(rows))
        let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
        let checked = runCTS(["validate", file] + w)
        #expect(checked.out.contains("national-offences-year-on-year") && checked.out.contains("from 30 the year before to 300"), "\(checked.out)")
        let report = runCTS(
            ["report", file, "--output", dir.path + "/reports", "--correspondence",
             Repo.path("Tests/Fixtures/store-v6/ken-iccs.csv"), "--db", dir.path + "/none.sqlite"] + w)
        #expect(report.status == 0, "\(report.err)")
        let html = try String(contentsOfFile: dir.path + "/reports/KEN-national.html", encoding: .utf8)
        #expect(html.contains(">440 Robo con violencia</td><td class=\"iccs\">0401 ×0.50, 020111 ×0.50</td>"), "\(html)")
        #expect(html.contains(">101 Homicidio</td><td class=\"iccs\">0101 Intentional homicide</td>"))
        #expect(html.contains("excluded (excluded)"))
    }

    /// A return giving a figure both ways shows both, and says the standard one is aggregated.
    @Test func figuresGivenBothWaysAreShownSideBySide() throws {
        let dir = TemporaryDirectory()
        var rows = ReturnFixture.requiredRows(year: 2020, value: "50")
        rows += [
            ["KEN", "2020", "national_offences", "101", "", "", "", "40", "", ""],
            ["KEN", "2020", "national_offences", "102", "", "", "", "2", "", ""],
        ]
        let file = dir.write("KEN-both.csv", returnCSV(rows))
        let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
        let report = runCTS(
            ["report", file, "--output", dir.path + "/reports", "--correspondence",
             Repo.path("Tests/Fixtures/store-v6/ken-iccs.csv"), "--db", dir.path + "/none.sqlite"] + w)
        #expect(report.status == 0, "\(report.err)")
        let html = try String(contentsOfFile: dir.path + "/reports/KEN-both.html", encoding: .utf8)
        #expect(html.contains("<h2>Standard table and national categories</h2>"))
        #expect(
            html.contains(
                "<tr><td class=\"label\">police_offences.homicide</td><td>2020</td><td>50</td><td>42</td><td class=\"label\">101, 102</td></tr>"
            ), "\(html)")
    }
}
