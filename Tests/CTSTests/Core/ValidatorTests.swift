import Testing

@testable import CTSCore

@Suite struct ValidatorTests {
    func failed(_ rows: [[String]]) -> [Finding] {
        ReturnFixture.validate(returnCSV(rows)).filter { $0.kind == .failed }
    }

    @Test func duplicateCellPointsAtBothLines() {
        var rows = ReturnFixture.requiredRows()
        rows.append(rows[3])
        let f = failed(rows).first { $0.ruleID == "cell.duplicate" }
        #expect(f?.location?.line == 10)
        #expect(f?.related.map(\.line) == [5])
    }

    @Test func missingRequiredVariable() {
        var rows = ReturnFixture.requiredRows()
        rows.remove(at: 0)
        let f = failed(rows).filter { $0.ruleID == "variable.required" }
        #expect(f.count == 1)
        #expect(f.first?.cell?.variable == "homicide" && f.first?.cell?.table == "police_offences")
        // An empty value with status L satisfies the requirement.
        rows.append(["KEN", "2020", "police_offences", "homicide", "", "", "", "", "L", "not collected"])
        #expect(!failed(rows).contains { $0.ruleID == "variable.required" })
    }

    @Test func breakdownTotalMismatchAndSkip() {
        var rows = ReturnFixture.requiredRows()
        rows.append(["KEN", "2020", "homicide_victims", "homicide", "M", "", "", "6", "", ""])
        rows.append(["KEN", "2020", "homicide_victims", "homicide", "F", "", "", "3", "", ""])
        // _U missing: the check is skipped and says why.
        let skipped = ReturnFixture.validate(returnCSV(rows)).first { $0.ruleID == "breakdown.total" }
        #expect(skipped?.kind == .skipped)
        #expect(skipped?.message.contains("sex=_U is not reported") == true)
        rows.append(["KEN", "2020", "homicide_victims", "homicide", "_U", "", "", "0", "", ""])
        let mismatch = failed(rows).first { $0.ruleID == "breakdown.total" }
        #expect(mismatch?.message.contains("= 9, a difference of 1") == true)
        #expect(mismatch?.location?.line == 9)
        #expect(mismatch?.related.map(\.line) == [10, 11, 12])
        rows[rows.count - 1][7] = "1"
        #expect(!failed(rows).contains { $0.ruleID == "breakdown.total" })
    }

    @Test func includedElsewhereCountsAsZeroInSums() {
        var rows = ReturnFixture.requiredRows()
        rows.append(["KEN", "2020", "homicide_victims", "homicide", "M", "", "", "10", "", ""])
        rows.append(["KEN", "2020", "homicide_victims", "homicide", "F", "", "", "", "K", "in M"])
        rows.append(["KEN", "2020", "homicide_victims", "homicide", "_U", "", "", "0", "", ""])
        #expect(!ReturnFixture.validate(returnCSV(rows)).contains { $0.ruleID == "breakdown.total" })
    }

    @Test func iccsParentBelowChildren() {
        var rows = ReturnFixture.requiredRows()  // sexual_violence (0301) = 10
        rows.append(["KEN", "2020", "police_offences", "rape", "", "", "", "8", "", ""])
        rows.append(["KEN", "2020", "police_offences", "sexual_assault", "", "", "", "4", "", ""])
        let f = failed(rows).first { $0.ruleID == "iccs.parent" }
        #expect(f?.severity == .warning)
        #expect(f?.cell?.variable == "sexual_violence")
        #expect(f?.message.contains("= 12") == true)
        rows[rows.count - 1][7] = "2"
        #expect(!failed(rows).contains { $0.ruleID == "iccs.parent" })
    }

    @Test func childrenAreTheNearestDescendants() {
        let table = Repo.questionnaire.table("police_offences")!
        let children = Validator.iccsChildren(of: table)
        #expect(children["sexual_violence"]?.sorted() == ["rape", "sexual_assault"])
        #expect(children["theft"] == ["motor_vehicle_theft"])
        #expect(children["corruption"] == ["bribery"])
        #expect(children["homicide"] == nil)
    }

    @Test func ruleFailsPassesAndSkips() {
        var rows = ReturnFixture.requiredRows()
        rows[6][7] = "30"  // convicted 30 > suspected 10 by more than 10%
        let f = failed(rows).first { $0.ruleID == "convicted-above-suspected" }
        #expect(f?.severity == .warning)
        #expect(f?.message.contains("(30) exceed persons suspected or arrested (10)") == true)
        #expect(f?.location?.line == 8)
        rows[6][7] = "11"  // within 10%
        #expect(!failed(rows).contains { $0.ruleID == "convicted-above-suspected" })
        rows[6][7] = ""
        rows[6][8] = "L"
        let skipped = ReturnFixture.validate(returnCSV(rows)).first { $0.ruleID == "convicted-above-suspected" }
        #expect(skipped?.kind == .skipped)
        #expect(skipped?.message.contains("no figure (status L") == true)
    }

    @Test func yearOnYearUsesThePreviousYearInTheReturn() {
        let rows =
            ReturnFixture.requiredRows(year: 2019, value: "100")
            + ReturnFixture.requiredRows(year: 2020, value: "100")
            .map { r in
                r[3] == "robbery" && r[2] == "police_offences"
                    ? r.enumerated().map { $0.offset == 7 ? "400" : $0.element } : r
            }
        let f = failed(rows).filter { $0.ruleID == "offences-year-on-year" }
        #expect(f.count == 1)
        #expect(f.first?.cell?.year == 2020 && f.first?.cell?.variable == "robbery")
        #expect(f.first?.message.contains("Changed from 100 the year before to 400 (300%)") == true)
        #expect(f.first?.related.map(\.line) == [5])
    }
}
