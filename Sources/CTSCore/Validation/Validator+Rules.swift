extension Validator {
    /// Evaluates every questionnaire rule: once per country-year, or once per reported cell of the
    /// rule's `for_each` table. A rule that is false gives a finding at its severity; a rule that cannot
    /// be decided because a figure is missing gives a skipped finding that names the figure.
    func rules(_ table: CellTable, countryYears: [CountryYear]) -> [Finding] {
        var findings: [Finding] = []
        let index = table
        for rule in questionnaire.rules {
            let evaluator = RuleEvaluator(
                questionnaire: questionnaire, cells: table, forEachTable: rule.forEachTable,
                binding: [rule.expression] + rule.message.expressions)
            // What a failure needs to find the cells involved, worked out once per rule.
            let named = NamedCells(
                references: rule.expression.references, yearsBefore: rule.expression.yearsBefore)
            if let forEach = rule.forEachTable, let t = questionnaire.tables.firstIndex(where: { $0.id == forEach }) {
                // The cell looked at stays packed; it is rebuilt only for a finding.
                for packed in table.cells where packed.hasValue && table.coder.table(of: packed.key) == t {
                    if let finding = check(
                        rule, evaluator, evaluator.subject(packed: packed.key), this: { table.rebuild(packed) },
                        index: index, named: named)
                    {
                        findings.append(finding)
                    }
                }
            } else if rule.forEachTable == nil {
                for cy in countryYears {
                    if let finding = check(
                        rule, evaluator, evaluator.subject(country: cy.country, year: cy.year, this: nil),
                        this: { nil }, index: index, named: named)
                    {
                        findings.append(finding)
                    }
                }
            }
        }
        return findings
    }

    /// The references of a rule's condition, and how many years before it looks.
    struct NamedCells {
        var references: [RuleReference]
        var yearsBefore: Int
    }

    private func check(
        _ rule: Rule, _ evaluator: RuleEvaluator, _ subject: RuleSubject, this: () -> ReturnCell?, index: CellTable,
        named: NamedCells
    ) -> Finding? {
        let result = evaluator.evaluate(rule.expression, subject)
        if result == .bool(true) { return nil }
        let this = this()
        let year = subject.year
        let involved = involvedCells(named, evaluator, subject, index: index)
        // Point at `this`, else the first cell the rule names that the return holds.
        let anchor = this ?? involved.first { $0.key.year == year } ?? involved.first
        let related = involved.filter { $0.location != anchor?.location }.map(\.location)
        switch result {
        case .bool(true):
            return nil
        case .bool(false):
            let message = rule.message.render { evaluator.evaluate($0, subject) }
            return Finding(
                ruleID: rule.id, severity: rule.severity, message: message, location: anchor?.location,
                cell: anchor?.key, table: anchor?.key.table ?? rule.forEachTable, related: related)
        case .unknown(let reasons):
            // A rule over cells the return does not report at all is simply not applicable.
            if involved.isEmpty { return nil }
            return Finding(
                ruleID: rule.id, severity: .info, kind: .skipped,
                message: "Not checked: " + reasons.joined(separator: "; ") + ".", location: anchor?.location,
                cell: anchor?.key, table: anchor?.key.table ?? rule.forEachTable, related: related)
        case .number:
            // Linting rejects rules that are not conditions; a number here means the rule could not apply.
            return nil
        }
    }

    /// The cells (of this year or the years before that the rule reads) that a rule's references point at
    /// and that exist.
    private func involvedCells(
        _ named: NamedCells, _ evaluator: RuleEvaluator, _ subject: RuleSubject, index: CellTable
    )
        -> [ReturnCell]
    {
        var result: [ReturnCell] = []
        var seen: [Int] = []  // a rule names a few cells: a list is cheaper than a set
        var subjects = [subject]
        for back in stride(from: 1, through: named.yearsBefore, by: 1) {
            var before = subject
            before.year -= back
            subjects.append(before)
        }
        for reference in named.references {
            guard let binding = evaluator.binding(reference) else { continue }
            for s in subjects {
                guard let target = evaluator.target(binding, s) else { continue }
                let packed: PackedCellKey? =
                    switch target {
                    case .packed(let key): key
                    case .text(let key): index.coder.encode(key)
                    }
                if let packed, let i = index.position(of: packed) {
                    if !seen.contains(i) {
                        seen.append(i)
                        result.append(index.cell(at: i))
                    }
                } else if let fallback = index.fallback {
                    let key = evaluator.key(target)
                    if let cell = fallback.cell(key), !result.contains(where: { $0.key == key }) { result.append(cell) }
                }
            }
        }
        return result
    }
}
