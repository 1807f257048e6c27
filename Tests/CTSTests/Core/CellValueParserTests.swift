import CTSCore
import CTSIO
import Testing

@Suite struct CellValueParserTests {
    @Test(arguments: [
        ("0", 0.0), ("1234", 1234), ("987654321", 987_654_321),
    ])
    func acceptsPlainCounts(_ raw: String, _ expected: Double) throws {
        #expect(try CellValueParser.value(raw, status: .normal).get() == expected)
    }

    @Test(arguments: [
        ("1,234", "value.thousands-separator"), ("1 234", "value.thousands-separator"),
        ("12 345 678", "value.thousands-separator"), ("1.234.567", "value.thousands-separator"),
        ("1\u{00A0}234", "value.thousands-separator"), ("1'234", "value.thousands-separator"),
        ("12,5", "value.decimal-comma"), ("0,25", "value.decimal-comma"),
        ("1,234.5", "value.thousands-separator"), ("-5", "value.negative"),
        ("..", "value.placeholder"), (":", "value.placeholder"), ("n/a", "value.placeholder"),
        ("abc", "value.not-a-number"), ("1e5", "value.not-a-number"), ("12.5", "value.not-integer"),
        ("999999999999999", "value.too-large"),
    ])
    func rejectsBadNumbersWithTheRightReason(_ raw: String, _ rule: String) {
        guard case .failure(let problem) = CellValueParser.value(raw, status: .normal) else {
            Issue.record("\(raw) was accepted")
            return
        }
        #expect(problem.ruleID == rule, "\(raw): \(problem.message)")
    }

    @Test func thousandsSeparatorMessageGivesTheFix() {
        guard case .failure(let p) = CellValueParser.value("1,234", status: .normal) else {
            Issue.record("accepted")
            return
        }
        #expect(p.message.contains("1234"))
    }

    @Test func estimatesMayBeFractional() throws {
        #expect(try CellValueParser.value("12.5", status: .estimated).get() == 12.5)
    }

    @Test func emptyValueNeedsAMissingStatus() throws {
        #expect(try CellValueParser.value("", status: .notCollected).get() == nil)
        #expect(try CellValueParser.value("", status: .notApplicable).get() == nil)
        #expect(try CellValueParser.value("", status: .includedElsewhere).get() == nil)
        guard case .failure(let p) = CellValueParser.value("", status: .normal) else {
            Issue.record("empty value accepted without status")
            return
        }
        #expect(p.ruleID == "value.empty")
    }

    @Test func valueWithMissingStatusIsAnError() {
        guard case .failure(let p) = CellValueParser.value("12", status: .notCollected) else {
            Issue.record("accepted")
            return
        }
        #expect(p.ruleID == "value.with-missing-status")
    }

    @Test func statusCodes() throws {
        #expect(try CellValueParser.status("").get() == .normal)
        #expect(try CellValueParser.status("E").get() == .estimated)
        guard case .failure(let p) = CellValueParser.status("e") else {
            Issue.record("lower-case status accepted")
            return
        }
        #expect(p.message.contains("capitals"))
        guard case .failure = CellValueParser.status("X") else {
            Issue.record("unknown status accepted")
            return
        }
    }
}

@Suite struct CSVWriterTests {
    @Test func defusesFormulasAndQuotes() {
        #expect(CSVWriter.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVWriter.field("+1 call") == "'+1 call")
        #expect(CSVWriter.field("@x") == "'@x")
        #expect(CSVWriter.field("-12") == "-12")
        #expect(CSVWriter.field("a,\"b\"") == "\"a,\"\"b\"\"\"")
        #expect(CSVWriter.field("plain") == "plain")
    }

    @Test func groupedThousandsWithAPointGetAHint() {
        guard case .failure(let p) = CellValueParser.value("1.234", status: .normal) else {
            Issue.record("accepted")
            return
        }
        #expect(p.ruleID == "value.not-integer" && p.message.contains("write 1234"))
    }
}
