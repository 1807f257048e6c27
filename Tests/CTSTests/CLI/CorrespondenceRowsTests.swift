import CTSCLI
import CTSCore
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
