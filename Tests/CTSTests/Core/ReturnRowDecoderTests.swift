import CTSCore
import CTSIO
import Testing

@Suite struct ReturnRowDecoderTests {
    func findings(_ text: String) -> [Finding] { ReturnFixture.validate(text) }

    func rules(_ text: String) -> [String] { findings(text).filter { $0.kind == .failed }.map(\.ruleID) }

    @Test func cleanReturnHasNoFindingsButSkippedChecks() {
        let f = findings(returnCSV(ReturnFixture.requiredRows()))
        #expect(f.allSatisfy { $0.kind == .skipped || $0.severity == .info }, "\(f)")
    }

    @Test func columnOrderIsFreeAndNamesIgnoreCase() {
        let header = ["Value", "COUNTRY", "year", "table", "variable", "sex", "age", "citizenship", "status", "note"]
        let rows = ReturnFixture.requiredRows().map { r in [r[7], r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[8], r[9]]
        }
        #expect(rules(returnCSV(rows, header: header)).isEmpty)
    }

    @Test func unknownAndMissingColumns() {
        let header = ["country", "year", "table", "variable", "sex", "age", "value", "status", "note", "comment"]
        let f = findings(
            returnCSV([["KEN", "2020", "police_offences", "homicide", "", "", "1", "", "", ""]], header: header))
        let unknown = f.first { $0.ruleID == "column.unknown" }
        #expect(unknown?.location?.line == 1 && unknown?.location?.column == 10)
        #expect(unknown?.message.contains("comment") == true)
        #expect(f.contains { $0.ruleID == "column.missing" && $0.message.contains("citizenship") })
    }

    @Test(arguments: [
        ("KOS", "XKX"), ("EL", "GRC"), ("UK", "GBR"), ("KE", "KEN"), ("ken", "KEN"),
    ])
    func countryAliasesGetTheISOCode(_ code: String, _ iso3: String) {
        var rows = ReturnFixture.requiredRows()
        rows[0][0] = code
        let f = findings(returnCSV(rows)).first { $0.ruleID == "country.unknown" }
        #expect(f?.message.contains(iso3) == true, "\(code): \(f?.message ?? "no finding")")
        #expect(f?.location?.line == 2 && f?.location?.column == 1)
    }

    @Test func subNationalReportersAreAccepted() {
        let rows = ReturnFixture.requiredRows().map { r in ["GBR_EW"] + r.dropFirst() }
        #expect(!rules(returnCSV(rows)).contains("country.unknown"))
    }

    @Test func yearsAndCodes() {
        var rows = ReturnFixture.requiredRows()
        rows.append(["KEN", "1999", "police_offences", "robbery", "", "", "", "3", "", ""])
        rows.append(["KEN", "20x0", "police_offences", "robbery", "", "", "", "3", "", ""])
        rows.append(["KEN", "2020", "courts", "robbery", "", "", "", "3", "", ""])
        rows.append(["KEN", "2020", "police_offences", "arson", "", "", "", "3", "", ""])
        rows.append(["KEN", "2020", "homicide_victims", "homicide", "Male", "", "", "3", "", ""])
        rows.append(["KEN", "2020", "homicide_victims", "homicide", "", "", "", "3", "", ""])
        rows.append(["KEN", "2020", "police_offences", "kidnapping", "M", "", "", "3", "", ""])
        let found = rules(returnCSV(rows))
        for rule in [
            "year.out-of-range", "year.invalid", "table.unknown", "variable.unknown",
            "breakdown.unknown-code", "breakdown.missing", "breakdown.not-in-table",
        ] {
            #expect(found.contains(rule), "\(rule) missing from \(found)")
        }
        let label = findings(returnCSV(rows)).first { $0.ruleID == "breakdown.unknown-code" }
        #expect(label?.message.contains("Write the code M") == true)
    }

    @Test func raggedRowNamesItsLine() {
        var text = returnCSV(ReturnFixture.requiredRows())
        text += "KEN,2020,police_offences,robbery,,,\n"
        let f = findings(text).first { $0.ruleID == "csv.ragged-row" }
        #expect(f?.location?.line == 10)
        #expect(f?.message.contains("7 fields") == true)
    }

    @Test func questionnaireColumnSelectsAndChecksTheVersion() {
        let header = ReturnFixture.header + ["questionnaire"]
        let good = ReturnFixture.requiredRows().map { $0 + ["UN-CTS/2024.1"] }
        #expect(rules(returnCSV(good, header: header)).isEmpty)
        let bad = ReturnFixture.requiredRows().map { $0 + ["UN-CTS/1999.1"] }
        let f = findings(returnCSV(bad, header: header)).first { $0.ruleID == "questionnaire.unknown" }
        #expect(f?.message.contains("no version 1999.1") == true)
    }

    @Test func headerOnlyIsAnError() {
        #expect(rules(returnCSV([])).contains("file.no-rows"))
    }

    @Test(arguments: [1, 7, 100, 65536])
    func findingsDoNotDependOnChunkSize(_ size: Int) {
        var rows = ReturnFixture.requiredRows()
        rows[2][7] = "\"1,234\""
        rows.append([
            "KEN", "2020", "police_offences", "robbery", "", "", "", "5", "",
            "\"note, with \"\"quotes\"\"\nand a newline\"",
        ])
        let text = returnCSV(rows)
        let reader = ReturnFixture.reader()
        let whole = reader.read(bytes: Array(text.utf8), name: "t.csv", chunkSize: 65536)
        let chunked = reader.read(bytes: Array(text.utf8), name: "t.csv", chunkSize: size)
        #expect(whole.findings == chunked.findings)
        #expect(whole.cells == chunked.cells)
        #expect(chunked.findings.first { $0.ruleID == "value.thousands-separator" }?.location?.line == 4)
        #expect(chunked.cells.last?.note == "note, with \"quotes\"\nand a newline")
    }
}
