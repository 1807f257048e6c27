import Testing

@testable import CTSCore

@Suite struct RuleParserTests {
    @Test func precedence() throws {
        let e = try RuleParser.parse("a + b * 2 <= c or not d > 1 and e == 3")
        guard case .or(let lhs, let rhs, _) = e else {
            Issue.record("top is not or: \(e)")
            return
        }
        guard case .comparison(.lessOrEqual, .arithmetic(.add, _, .arithmetic(.multiply, _, _, _), _), _, nil, _) = lhs
        else {
            Issue.record("left side: \(lhs)")
            return
        }
        guard case .and(.not(.comparison(.greater, _, _, _, _), _), .comparison(.equal, _, _, _, _), _) = rhs else {
            Issue.record("right side: \(rhs)")
            return
        }
    }

    @Test func referencesSelectorsAndTolerance() throws {
        let e = try RuleParser.parse(
            "persons_convicted.homicide[sex=F, age=ADULT] <= sum(victims.homicide, sex) within 10%")
        guard case .comparison(_, .reference(let r), .sum(let s, let dim, _), let tolerance, _) = e else {
            Issue.record("\(e)")
            return
        }
        #expect(r.table == "persons_convicted" && r.variable == "homicide")
        #expect(r.selectors.map { "\($0.dimension)=\($0.code)" } == ["sex=F", "age=ADULT"])
        #expect(s.text == "victims.homicide" && dim == "sex")
        #expect(tolerance == .init(amount: 10, isPercent: true))
    }

    @Test(arguments: [
        ("a <=", 4, "expected a value"),
        ("a < b < c", 6, "cannot be chained"),
        ("(a + b", 6, "closing"),
        ("foo(a)", 0, "not a function"),
        ("a # b", 2, "not part of the rule language"),
        ("abs(a, b)", 0, "takes 1 argument"),
        ("a == b within x", 14, "within"),
        ("", 0, "empty"),
        ("a.", 2, "variable name"),
        ("a[sex]", 5, "\"=\""),
        ("prev(a, 0)", 8, "from 1 to 30"),
        ("prev(a, b)", 8, "number of years"),
        ("mean_prev(a, 2.5)", 13, "from 1 to 30"),
        ("mean_prev(a)", 0, "takes 2 argument"),
    ])
    func syntaxErrorsPointAtTheSpot(_ text: String, _ offset: Int, _ phrase: String) {
        do {
            _ = try RuleParser.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.offset == offset, "\(text): \(error.message)")
            #expect(error.message.contains(phrase), "\(text): \(error.message)")
        }
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let deep = String(repeating: "(", count: 5000) + "a" + String(repeating: ")", count: 5000)
        #expect(throws: RuleSyntaxError.self) { try RuleParser.parse(deep) }
        let negations = String(repeating: "not ", count: 5000) + "a > 1"
        #expect(throws: RuleSyntaxError.self) { try RuleParser.parse(negations) }
    }

    @Test func messageTemplates() throws {
        let t = try MessageTemplate.parse("{{literal}} {a + 1} and {b}")
        #expect(t.expressions.count == 2)
        let text = t.render { e in
            if case .arithmetic = e { return .number(3) }
            return .unknown(reasons: ["b missing"])
        }
        #expect(text == "{literal} 3 and ?")
        #expect(throws: RuleSyntaxError.self) { try MessageTemplate.parse("value {a + ") }
    }
}

/// Cells in memory for evaluator tests.
struct Cells: CellLookup {
    var cells: [CellKey: ReturnCell]
    func cell(_ key: CellKey) -> ReturnCell? { cells[key] }
}

@Suite struct RuleEvaluatorTests {
    let q = Repo.questionnaire

    func cell(
        _ table: String, _ variable: String, year: Int = 2020, sex: String = "", value: Double?,
        status: ObservationStatus = .normal
    ) -> ReturnCell {
        let t = q.table(table)!
        var key = q.totalKey(country: "KEN", year: year, table: t, variable: variable)
        if !sex.isEmpty { key.breakdown[0] = sex }
        return ReturnCell(
            key: key, value: value, rawValue: value.map { RuleFormatting.number($0) } ?? "",
            status: status, note: "", location: SourceLocation(file: "t", line: 1, column: 1))
    }

    func eval(_ text: String, _ cells: [ReturnCell], forEach: String? = nil, this: CellKey? = nil) throws -> RuleValue {
        let lookup = Cells(cells: Dictionary(uniqueKeysWithValues: cells.map { ($0.key, $0) }))
        return RuleEvaluator(questionnaire: q, cells: lookup, forEachTable: forEach)
            .evaluate(try RuleParser.parse(text), country: "KEN", year: 2020, this: this)
    }

    @Test func threeValuedLogic() throws {
        let cells = [cell("police_offences", "robbery", value: 5)]
        #expect(try eval("police_offences.robbery > 1 or police_offences.theft > 1", cells) == .bool(true))
        #expect(try eval("police_offences.robbery < 1 and police_offences.theft > 1", cells) == .bool(false))
        guard case .unknown(let reasons) = try eval("police_offences.theft > 1", cells) else {
            Issue.record("not unknown")
            return
        }
        #expect(reasons == ["KEN 2020 police_offences.theft is not reported"])
    }

    /// The years before, from the return or the store: `prev(e, k)` and `mean_prev(e, n)`.
    @Test func earlierYears() throws {
        let cells = [
            cell("police_offences", "robbery", year: 2017, value: 30),
            cell("police_offences", "robbery", year: 2018, value: nil, status: .notCollected),
            cell("police_offences", "robbery", year: 2019, value: 60), cell("police_offences", "robbery", value: 80),
        ]
        #expect(try eval("prev(police_offences.robbery, 3) == 30", cells) == .bool(true))
        #expect(try eval("prev(prev(police_offences.robbery), 2) == 30", cells) == .bool(true))
        // The mean of the years known: 2018 has no figure.
        #expect(try eval("mean_prev(police_offences.robbery, 3) == 45", cells) == .bool(true))
        #expect(try eval("mean_prev(police_offences.robbery, 1) == 60", cells) == .bool(true))
        guard case .unknown(let reasons) = try eval("mean_prev(police_offences.theft, 2) > 1", cells) else {
            Issue.record("not unknown")
            return
        }
        #expect(reasons.first?.hasPrefix("no figure in the 2 years before 2020") == true, "\(reasons)")
        #expect(try RuleParser.parse("mean_prev(a, 3) + prev(prev(b), 4)").yearsBefore == 5)
    }

    @Test func tolerances() throws {
        let cells = [cell("police_offences", "robbery", value: 109), cell("police_offences", "theft", value: 100)]
        #expect(try eval("police_offences.robbery <= police_offences.theft within 10%", cells) == .bool(true))
        #expect(try eval("police_offences.robbery <= police_offences.theft within 8", cells) == .bool(false))
        #expect(try eval("police_offences.robbery == police_offences.theft within 9", cells) == .bool(true))
        #expect(try eval("police_offences.robbery >= police_offences.theft", cells) == .bool(true))
    }

    @Test func sumPrevAndFunctions() throws {
        let cells = [
            cell("homicide_victims", "homicide", sex: "M", value: 6),
            cell("homicide_victims", "homicide", sex: "F", value: 3),
            cell("homicide_victims", "homicide", sex: "_U", value: nil, status: .includedElsewhere),
            cell("police_offences", "robbery", year: 2019, value: 50), cell("police_offences", "robbery", value: 80),
        ]
        #expect(try eval("sum(homicide_victims.homicide, sex) == 9", cells) == .bool(true))
        #expect(try eval("prev(police_offences.robbery) == 50", cells) == .bool(true))
        #expect(
            try eval(
                "abs(prev(police_offences.robbery) - police_offences.robbery) == 30 and max(1, police_offences.robbery) == 80 and min(1, police_offences.robbery) == 1",
                cells)
                == .bool(true))
        #expect(
            try eval("present(police_offences.robbery) and not present(police_offences.theft)", cells) == .bool(true))
        #expect(try eval("police_offences.robbery / 0 > 1", cells) == .unknown(reasons: ["a division by zero"]))
        let this = cells[4].key
        #expect(try eval("this - prev(this) == 30", cells, forEach: "police_offences", this: this) == .bool(true))
    }
}

@Suite struct RuleParserArgumentTests {
    @Test func presentTakesOnlyAReference() throws {
        _ = try RuleParser.parse("present(police_offences.robbery)")
        #expect(throws: RuleSyntaxError.self) { try RuleParser.parse("present(1 + 2)") }
    }
}

/// A `CellTable` is read by packed key; any other lookup by text. Both must give the same values and the
/// same reasons, with or without earlier figures behind the table, for country-year and `for_each` rules.
@Suite struct PackedRuleEvaluationTests {
    let q = Repo.questionnaire
    let helper = RuleEvaluatorTests()

    @Test func packedAndTextLookupsAgree() throws {
        func c(_ t: String, _ v: String, _ year: Int, _ sex: String, _ value: Double?, _ s: ObservationStatus)
            -> ReturnCell
        { helper.cell(t, v, year: year, sex: sex, value: value, status: s) }
        let cells = [
            c("homicide_victims", "homicide", 2020, "M", 6, .normal),
            c("homicide_victims", "homicide", 2020, "F", nil, .notCollected),
            c("homicide_victims", "homicide", 2020, "_U", nil, .includedElsewhere),
            c("homicide_victims", "homicide", 2020, "", 9, .normal),
            c("police_offences", "robbery", 2020, "", 80, .normal),
            c("police_offences", "theft", 2020, "", 120, .estimated),
        ]
        let earlier = [c("police_offences", "robbery", 2019, "", 50, .normal)]
        let expressions = [
            "sum(homicide_victims.homicide, sex) == homicide_victims.homicide",
            "homicide_victims.homicide[sex=F] > 0", "homicide_victims.homicide[sex=_U] >= 0",
            "prev(police_offences.robbery) == 50", "prev(prev(police_offences.robbery)) > 1",
            "present(police_offences.robbery) and not present(police_offences.burglary)",
            "police_offences.burglary > 1 or police_offences.theft > police_offences.robbery",
            "police_offences.robbery <= police_offences.theft within 10%",
        ]
        let forEach = ["this > 0", "this - prev(this) == 30", "this[sex=M] > 1", "sum(this, sex) <= this"]
        var coder = CellCoder(questionnaire: q)
        _ = coder.number(country: "UGA")  // a country the table has no cell of
        for fallback in [false, true] {
            let back = Cells(cells: Dictionary(uniqueKeysWithValues: earlier.map { ($0.key, $0) }))
            let all = cells + (fallback ? [] : earlier)
            var table = CellTable(coder: coder, fallback: fallback ? back : nil)
            for cell in all { _ = table.insert(cell) }
            var text = Cells(cells: Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) }))
            if fallback { text.cells.merge(back.cells) { a, _ in a } }
            for (sources, each) in [
                (expressions, nil as String?), (forEach, "homicide_victims"), (forEach, "police_offences"),
            ] {
                for source in sources {
                    let e = try RuleParser.parse(source)
                    let packed = RuleEvaluator(questionnaire: q, cells: table, forEachTable: each, binding: [e])
                    let plain = RuleEvaluator(questionnaire: q, cells: text, forEachTable: each)
                    let subjects: [(String, CellKey?)] =
                        each.map { t in all.filter { $0.key.table == t }.map { ($0.key.country, $0.key) } }
                        ?? [("KEN", nil), ("UGA", nil), ("TZA", nil)]
                    for (country, this) in subjects {
                        #expect(
                            packed.evaluate(e, country: country, year: 2020, this: this)
                                == plain.evaluate(e, country: country, year: 2020, this: this),
                            "\(source) for \(country) \(this?.description ?? "") (fallback: \(fallback))")
                    }
                }
            }
        }
    }
}
