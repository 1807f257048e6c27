import CTSCLI
import CTSCore
import CTSIO
import Testing

/// Figures no return should hold as they are: a validated return with homicides of 0.0000000001 (E) and
/// 100,000,000,000 once stopped every aggregation. Such figures are now flagged when the return is
/// checked, and aggregation takes them without failing.
@Suite struct MagnitudeTests {
    @Test func countsAbovePopulationAndEstimatesBelowOneAreFlagged() throws {
        let dir = TemporaryDirectory()
        var rows = ReturnFixture.requiredRows()
        rows[0][7] = "0.0000000001"
        rows[0][8] = "E"
        rows[3][7] = "99999999999"
        let file = dir.write("KEN.csv", returnCSV(rows))
        let result = runCTS(["validate", file])
        #expect(result.status == 0, "\(result.out)")
        #expect(result.out.contains("value.estimate-below-one"), "\(result.out)")
        #expect(result.out.contains("value.above-population"), "\(result.out)")
        #expect(result.out.contains("is more than the whole population of Kenya in 2020"), "\(result.out)")

        let db = dir.path + "/cts.sqlite"
        #expect(runCTS(["ingest", file, "--db", db]).status == 0)
        let aggregated = runCTS(["aggregate", "--db", db, "--output", dir.path + "/out"])
        #expect(aggregated.status == 0, "\(aggregated.err)")
    }

    /// A reporting unit is held against its whole country; without population figures nothing is said.
    @Test func reportingUnitsUseTheirCountryAndNoPopulationMeansNoCheck() throws {
        let q = Repo.questionnaire
        var rows = ReturnFixture.requiredRows()
        for i in rows.indices { rows[i][0] = "GBR_S" }
        rows[3][7] = "99999999999"
        let bytes = Array(returnCSV(rows).utf8)
        let countries = Repo.reference.countries
        let with = ReturnReader(
            catalog: QuestionnaireCatalog([q]), countries: countries, population: Repo.reference.population)
        let flagged = with.read(bytes: bytes, name: "s.csv")
        let bound = PopulationBound(population: Repo.reference.population, countries: countries)
        let findings = Validator(questionnaire: q, population: bound).validate(flagged.cells)
        #expect(findings.contains { $0.ruleID == "value.above-population" && $0.message.contains("United Kingdom") })
        #expect(!Validator(questionnaire: q).validate(flagged.cells).contains { $0.ruleID == "value.above-population" })
    }
}
