import CTSCore
import CTSIO
import Testing

/// `_T` = 1000 with M + F = 1859 passed, because the check was skipped when `_U` was missing: parts
/// alone above their total are found whatever the missing parts hold, as severe as any total that does not
/// add up (the questionnaire's breakdown_total).
@Suite struct PartsAboveTotalTests {
    func findings(total: String, parts: [(String, String)]) -> [Finding] {
        var rows = ReturnFixture.requiredRows()
        rows[7][7] = total
        for (sex, value) in parts {
            rows.append(["KEN", "2020", "homicide_victims", "homicide", sex, "", "", value, "", ""])
        }
        let parsed = ReturnFixture.reader().read(bytes: Array(returnCSV(rows).utf8), name: "k.csv")
        return Validator(questionnaire: Repo.questionnaire).validate(parsed.cells).filter {
            $0.ruleID == "breakdown.total"
        }
    }

    @Test func partsAboveTheTotalAreAnErrorEvenWithAPartMissing() {
        let found = findings(total: "1000", parts: [("M", "1000"), ("F", "859")])
        #expect(found.count == 1)
        #expect(found.first?.kind == .failed && found.first?.severity == Repo.questionnaire.breakdownTotalSeverity)
        #expect(found.first?.message.contains("M 1000 + F 859 = 1859, 859 more") == true, "\(found)")
    }

    @Test func partsBelowTheTotalWithAPartMissingAreStillSkipped() {
        let found = findings(total: "1000", parts: [("M", "600"), ("F", "300")])
        #expect(found.count == 1 && found.first?.kind == .skipped)
    }
}
