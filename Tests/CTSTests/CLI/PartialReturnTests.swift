import CTSCLI
import CTSCore
import CTSIO
import CTSStore
import Testing

/// A return with one table, a one-cell correction and a national-categories-only return got 7, 3 and 16
/// `variable.required` errors. Required variables now apply to the tables a return holds for a year;
/// tables a yearly return must hold (`required: true`) that are missing make one completeness summary;
/// and a figure the store already holds need not be sent again.
@Suite struct PartialReturnTests {
    let rows = ReturnFixture.requiredRows()

    @Test func aReturnOfOneTableIsAcceptedWithItsCompletenessSummary() throws {
        let dir = TemporaryDirectory()
        let file = dir.write("KEN-victims.csv", returnCSV(rows.filter { $0[2] == "homicide_victims" }))
        let result = runCTS(["validate", file, "--db", dir.path + "/none.sqlite"])
        #expect(result.status == 0, "\(result.out)")
        #expect(!result.out.contains("variable.required"), "\(result.out)")
        #expect(result.out.contains("return.completeness"), "\(result.out)")
        #expect(
            result.out.contains(
                "KEN 2020: this return holds 1 of the 9 tables (homicide_victims). Required in a yearly return but "
                    + "not in this one: police_offences, persons_suspected, persons_convicted."), "\(result.out)")
    }

    @Test func aTableItHoldsStillNeedsItsRequiredVariables() throws {
        let dir = TemporaryDirectory()
        // Police offences without robbery and theft.
        let file = dir.write("KEN.csv", returnCSV(rows.filter { $0[3] != "robbery" && $0[3] != "theft" }))
        let result = runCTS(["validate", file, "--db", dir.path + "/none.sqlite"])
        #expect(result.status == 1)
        #expect(result.out.components(separatedBy: "variable.required").count - 1 == 2, "\(result.out)")
        #expect(!result.out.contains("return.completeness"), "every required table is held")
    }

    @Test func aNationalCategoriesOnlyReturnIsAccepted() throws {
        let dir = TemporaryDirectory()
        let national = (1...16).map { ["KEN", "2020", "national_offences", "N\($0)", "", "", "", "5", "", ""] }
        let result = runCTS(["validate", dir.write("KEN-national.csv", returnCSV(national)), "--db", dir.path + "/x"])
        #expect(result.status == 0, "\(result.out)")
        #expect(result.out.contains("0 errors"))
    }

    /// A correction of one cell needs no other figure of its table when the store holds them.
    @Test func aOneCellCorrectionRevisesExactlyThatCell() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        #expect(runCTS(["ingest", dir.write("KEN.csv", returnCSV(rows)), "--db", db]).status == 0)
        let correction = dir.write("KEN-fix.csv", returnCSV([rows[3].map { $0 == "10" ? "12" : $0 }]))
        // Without the store it is a table short of its required figures; with it, it is complete.
        #expect(runCTS(["validate", correction, "--db", dir.path + "/none.sqlite"]).status == 1)
        let validated = runCTS(["validate", correction, "--db", db])
        #expect(validated.status == 0, "\(validated.out)")
        let ingested = runCTS(["ingest", correction, "--db", db])
        #expect(ingested.status == 0, "\(ingested.out)")
        #expect(ingested.out.contains("0 added, 1 revised, 0 unchanged, 0 withdrawn"), "\(ingested.out)")
        let store = try Store(path: db)
        #expect(
            try store.currentValues(reporter: "KEN", dimensions: Repo.questionnaire.dimensionIDs).count == rows.count)
        let robbery = try store.history(reporter: "KEN", variable: "robbery")
        #expect(robbery.map(\.rawValue) == ["10", "12"])
    }
}
