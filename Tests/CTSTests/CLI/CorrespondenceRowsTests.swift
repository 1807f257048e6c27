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
