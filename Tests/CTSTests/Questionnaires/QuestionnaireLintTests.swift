import CTSCore
import CTSIO
import Testing

@Suite struct QuestionnaireLintTests {
    let shipped = try! String(contentsOfFile: Repo.path("questionnaires/un-cts-2024.yaml"), encoding: .utf8)

    func lint(_ yaml: String) -> [Finding] {
        let loaded = QuestionnaireLoader.load(yaml: yaml, file: "q.yaml")
        guard let q = loaded.questionnaire else { return loaded.findings }
        return (loaded.findings + QuestionnaireLinter(iccs: Repo.reference.iccs).lint(q)).sorted(
            by: Finding.reportOrder)
    }

    func line(of needle: String, in text: String) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }! + 1
    }

    @Test func shippedQuestionnaireIsClean() {
        #expect(lint(shipped).isEmpty)
        let q = Repo.questionnaire
        #expect(q.tables.count >= 5)
        #expect(q.tables.reduce(0) { $0 + $1.variables.count } >= 25)
        let codes = Set(q.tables.flatMap(\.variables).compactMap(\.iccs?.rawValue))
        for code in [
            "0101", "0102", "020111", "020221", "0204", "0301", "03011", "03012", "0302", "0401", "0501",
            "0502", "05021", "0601", "0701", "0703", "07031", "07041", "0903", "09051",
        ] {
            #expect(codes.contains(code), "\(code)")
        }
    }

    @Test func referenceHoldsTheWholeICCSTree() {
        let iccs = Repo.reference.iccs
        #expect(iccs.count == 320)
        #expect(Dictionary(grouping: iccs.codes, by: \.level).mapValues(\.count) == [1: 11, 2: 63, 3: 148, 4: 98])
        #expect(iccs.title(of: ICCSCode("0101")!) == "Intentional homicide")
        #expect(iccs.candidates(forZeroStripped: "101").map(\.rawValue) == ["0101"])
        #expect(iccs.candidates(forZeroStripped: "20111").map(\.rawValue) == ["020111"])
    }

    @Test func unknownICCSCode() {
        let text = shipped.replacingOccurrences(of: "iccs: \"0204\"", with: "iccs: \"0110\"")
        let f = lint(text)
        #expect(f.count == 1)
        #expect(f.first?.ruleID == "lint.unknown-iccs")
        #expect(f.first?.location?.line == line(of: "\"0110\"", in: text))
    }

    @Test func zeroStrippedICCSCodeIsAFormatError() {
        let text = shipped.replacingOccurrences(of: "iccs: \"0204\"", with: "iccs: 204")
        let f = lint(text)
        #expect(f.first?.message.contains("leading") == true)
        #expect(f.first?.location?.line == line(of: "iccs: 204", in: text))
    }

    @Test func unknownDimensionAndDuplicateIDs() {
        var text = shipped.replacingOccurrences(
            of:
                "breakdowns: [sex, age]\n    variables:\n      - {id: homicide, iccs: \"0101\", label: Intentional homicide}",
            with:
                "breakdowns: [sex, gender]\n    variables:\n      - {id: homicide, iccs: \"0101\", label: Intentional homicide}"
        )
        text = text.replacingOccurrences(of: "id: prosecuted-above-suspected", with: "id: convicted-above-suspected")
        let ids = lint(text).map(\.ruleID)
        #expect(ids.contains("lint.unknown-dimension"))
        #expect(ids.contains("lint.duplicate-id"))
    }

    @Test func ruleProblemsPointIntoTheExpression() {
        let text = shipped.replacingOccurrences(
            of: "expr: persons_prosecuted.homicide <= persons_suspected.homicide within 10%",
            with: "expr: persons_prosecuted.homicide <= persons_suspected.homicid within 10%")
        let f = lint(text)
        #expect(f.count == 1)
        let l = line(of: "persons_suspected.homicid within", in: text)
        let column =
            text.split(separator: "\n", omittingEmptySubsequences: false)[l - 1]
            .distance(
                from: text.split(separator: "\n", omittingEmptySubsequences: false)[l - 1].startIndex,
                to: text.split(separator: "\n", omittingEmptySubsequences: false)[l - 1].range(of: "persons_suspected")!
                    .lowerBound) + 1
        #expect(f.first?.location == SourceLocation(file: "q.yaml", line: l, column: column))
        #expect(f.first?.message.contains("has no variable \"homicid\"") == true)
    }

    @Test func rulesThatCanNeverBeEvaluated() {
        let base = shipped.replacingOccurrences(
            of: "reference_years: {from: 2003, to: 2023}",
            with: "reference_years: {from: 2023, to: 2023}")
        #expect(lint(base).contains { $0.ruleID == "lint.never-evaluated" && $0.message.contains("prev()") })
        let constant = shipped.replacingOccurrences(
            of: "expr: prisoners.homicide_sentenced <= prisoners.sentenced", with: "expr: 1 <= 2")
        #expect(lint(constant).contains { $0.ruleID == "lint.never-evaluated" })
        let sumOverUnbroken = shipped.replacingOccurrences(
            of: "expr: prisoners.homicide_sentenced <= prisoners.sentenced",
            with: "expr: sum(police_offences.robbery, sex) <= 2")
        #expect(lint(sumOverUnbroken).contains { $0.ruleID == "lint.never-evaluated" })
        let thisOutside = shipped.replacingOccurrences(
            of: "expr: prisoners.homicide_sentenced <= prisoners.sentenced", with: "expr: this > 1")
        #expect(lint(thisOutside).contains { $0.message.contains("for_each") })
    }

    @Test func typeErrors() {
        let notCondition = shipped.replacingOccurrences(
            of: "expr: prisoners.homicide_sentenced <= prisoners.sentenced", with: "expr: prisoners.sentenced + 1")
        #expect(lint(notCondition).contains { $0.ruleID == "lint.not-a-condition" })
        let mixed = shipped.replacingOccurrences(
            of: "expr: prisoners.homicide_sentenced <= prisoners.sentenced",
            with: "expr: prisoners.sentenced and prisoners.total > 1")
        #expect(lint(mixed).contains { $0.ruleID == "lint.type" })
    }

    @Test func yamlErrorsHaveLocations() {
        let f = lint("id: x\nversion: [1\n")
        #expect(f.first?.ruleID == "questionnaire.yaml")
        #expect(f.first?.location?.line ?? 0 >= 2)
        let unknownKey = lint(shipped.replacingOccurrences(of: "    unit: offences\n", with: "    units: offences\n"))
        #expect(unknownKey.contains { $0.message.contains("unknown key \"units\"") })
    }

    @Test func messageSyntaxErrorPointsIntoTheMessage() {
        let text = shipped.replacingOccurrences(
            of: "Prisoners sentenced for homicide ({prisoners.homicide_sentenced})",
            with: "Prisoners sentenced for homicide ({prisoners.homicide_sentenced +})")
        let f = lint(text)
        #expect(f.count == 1)
        #expect(f.first?.ruleID == "rule.syntax")
        #expect(f.first?.message.contains("message") == true)
        #expect(f.first?.location?.line == line(of: "homicide_sentenced +}", in: text))
    }

    @Test func aliasesAreRefused() {
        let text = shipped.replacingOccurrences(of: "title: UN Survey", with: "title: &t UN Survey")
            .replacingOccurrences(of: "    title: Persons prosecuted", with: "    title: *t")
        #expect(lint(text).contains { $0.message.contains("aliases") })
    }
}
