/// Checks a loaded questionnaire for mistakes its author can fix: unknown ICCS codes and dimensions,
/// duplicate ids, rules that name unknown things or can never be evaluated. Pure.
public struct QuestionnaireLinter: Sendable {
    public var iccs: ICCSClassification

    public init(iccs: ICCSClassification) { self.iccs = iccs }

    public func lint(_ q: Questionnaire) -> [Finding] {
        var out = LintCollector(file: q.source)
        lintCodeLists(q, &out)
        lintTables(q, &out)
        lintRules(q, &out)
        return out.findings.sorted(by: Finding.reportOrder)
    }

    private func lintCodeLists(_ q: Questionnaire, _ out: inout LintCollector) {
        out.duplicates(q.codeLists.map { ($0.id, $0.location) }, what: "code list")
        for list in q.codeLists {
            out.identifier(list.id, what: "code list", at: list.location)
            for code in list.codes { out.code(code.code, in: list.id, at: list.location) }
            if let cycle = Self.cycle(in: list) {
                out.error(
                    "lint.circular-total",
                    "Code list \(list.id): the totals go round in a circle (\(cycle.joined(separator: " → "))): "
                        + "no code can be the sum of the others. Make one code the total of its parts only.",
                    at: list.location)
            }
            out.duplicates(list.codes.map { ($0.code, list.location) }, what: "code in \(list.id)")
            if list.totals.isEmpty {
                out.error(
                    "lint.no-total", "Code list \(list.id) names no total; say which code is the total of which.",
                    at: list.location)
            }
            for total in list.totals {
                for code in [total.code] + total.parts where !list.contains(code) {
                    out.error(
                        "lint.unknown-code",
                        "Code list \(list.id): the total \(total.code) names \(code), "
                            + "which is not one of its codes.", at: list.location)
                }
                if total.parts.contains(total.code) {
                    out.error(
                        "lint.total-of-itself", "Code list \(list.id): \(total.code) cannot be a part of itself.",
                        at: list.location)
                }
            }
        }
    }

    /// A circle of totals in `list` (a code that is, through totals of totals, a part of itself), as the
    /// codes along it; nil when there is none.
    static func cycle(in list: CodeList) -> [String]? {
        var state: [String: Int] = [:]  // 1: on the path being followed, 2: done
        var path: [String] = []
        func visit(_ code: String) -> [String]? {
            if state[code] == 2 { return nil }
            if state[code] == 1 { return Array(path[(path.firstIndex(of: code) ?? 0)...]) + [code] }
            state[code] = 1
            path.append(code)
            for part in list.parts(of: code) ?? [] where part != code {
                if let found = visit(part) { return found }
            }
            path.removeLast()
            state[code] = 2
            return nil
        }
        for total in list.totals { if let found = visit(total.code) { return found } }
        return nil
    }

    private func lintTables(_ q: Questionnaire, _ out: inout LintCollector) {
        if q.referenceYears.lowerBound > q.referenceYears.upperBound {
            out.error("lint.reference-years", "The reference period starts after it ends.", at: nil)
        } else if q.referenceYears.lowerBound < 1900 || q.referenceYears.upperBound > 2100 {
            out.error(
                "lint.reference-years",
                "The reference period \(q.referenceYears.lowerBound)–\(q.referenceYears.upperBound) goes beyond "
                    + "1900–2100; give the years returns report.", at: nil)
        }
        // The id and version name the questionnaire in returns, stores and outputs.
        for (what, text) in [("id", q.id), ("version", q.version)] where !LintCollector.isPlainName(text) {
            out.error(
                "lint.bad-id",
                "The questionnaire \(what) \"\(text)\" must be letters, digits, \".\", \"-\" and \"_\", e.g. UN-CTS and 2024.1.",
                at: nil)
        }
        out.duplicates(q.tables.map { ($0.id, $0.location) }, what: "table")
        for table in q.tables {
            out.identifier(table.id, what: "table", at: table.location)
            // The indicator names files of the trend tables and charts.
            out.identifier(table.indicator, what: "indicator", at: table.location)
            for dimension in table.breakdowns where q.codeList(dimension) == nil {
                out.error(
                    "lint.unknown-dimension",
                    "Table \(table.id) is broken down by \(dimension), but there is no such code list. "
                        + "Code lists: \(q.dimensionIDs.joined(separator: ", ")).", at: table.location)
            }
            out.duplicates(table.variables.map { ($0.id, $0.location) }, what: "variable in table \(table.id)")
            for variable in table.variables {
                out.identifier(variable.id, what: "variable", at: variable.location)
                guard let code = variable.iccs else { continue }
                if !iccs.contains(code) {
                    let near = iccs.candidates(forZeroStripped: code.rawValue).filter { $0 != code }
                    let hint =
                        near.isEmpty
                        ? "" : " Codes with the same digits: \(near.map(\.rawValue).joined(separator: ", "))."
                    out.error(
                        "lint.unknown-iccs",
                        "Variable \(table.id).\(variable.id): \(code) is not a code of ICCS v1.0.\(hint)",
                        at: variable.location)
                }
            }
        }
    }

    private func lintRules(_ q: Questionnaire, _ out: inout LintCollector) {
        out.duplicates(q.rules.map { ($0.id, $0.location) }, what: "rule")
        for rule in q.rules {
            if let table = rule.forEachTable, q.table(table) == nil {
                out.error(
                    "lint.unknown-table", "Rule \(rule.id): for_each names table \(table), which does not exist.",
                    at: rule.location)
                continue
            }
            var checker = RuleTypeChecker(questionnaire: q, rule: rule, locator: rule.expressionText)
            let type = checker.check(rule.expression)
            out.findings += checker.findings
            if checker.findings.isEmpty {
                if type == .number {
                    out.error(
                        "lint.not-a-condition",
                        "Rule \(rule.id) computes a number but a rule must be a condition (compare it with "
                            + "something, e.g. ... <= 100).", at: rule.expressionText?.start ?? rule.location)
                }
                if rule.expression.references.isEmpty {
                    out.error(
                        "lint.never-evaluated",
                        "Rule \(rule.id) refers to no cell, so it never looks at the data.",
                        at: rule.expressionText?.start ?? rule.location)
                }
                if rule.expression.usesPreviousYear, q.referenceYears.count < 2 {
                    out.error(
                        "lint.never-evaluated",
                        "Rule \(rule.id) uses prev(), but the reference period has a single year, so there "
                            + "is never a previous year.", at: rule.expressionText?.start ?? rule.location)
                }
            }
            for case .expression(let e, _, let offset) in rule.message.parts {
                var placeholder = RuleTypeChecker(
                    questionnaire: q, rule: rule, locator: rule.messageText, baseOffset: offset)
                _ = placeholder.check(e)
                out.findings += placeholder.findings
            }
        }
    }
}

/// Accumulates lint findings with the common shapes (duplicates, identifiers).
struct LintCollector {
    var file: String
    var findings: [Finding] = []

    mutating func error(_ id: String, _ message: String, at location: SourceLocation?) {
        findings.append(
            Finding(
                ruleID: id, severity: .error, message: message,
                location: location ?? SourceLocation(file: file, line: 1, column: 1)))
    }

    mutating func duplicates(_ items: [(String, SourceLocation?)], what: String) {
        var seen: [String: SourceLocation?] = [:]
        for (id, location) in items {
            if let first = seen[id] {
                let whereFirst = first.map { " (first on line \($0.line))" } ?? ""
                error("lint.duplicate-id", "The \(what) id \(id) is used twice\(whereFirst).", at: location)
            } else {
                seen[id] = location
            }
        }
    }

    /// Letters, digits, `.`, `-` and `_`, not starting with `.`: safe in a file name and a return column.
    static func isPlainName(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix(".")
            && text.utf8.allSatisfy { c in
                c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || (c >= 0x30 && c <= 0x39)
                    || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
            }
    }

    /// A code of a code list: what a return writes in a breakdown column.
    mutating func code(_ code: String, in list: String, at location: SourceLocation?) {
        if !Self.isPlainName(code) {
            error(
                "lint.bad-code",
                "Code list \(list): the code \"\(code)\" must be letters, digits, \".\", \"-\" and \"_\", "
                    + "such as _T or ADULT.", at: location)
        }
    }

    mutating func identifier(_ id: String, what: String, at location: SourceLocation?) {
        let chars = Array(id.utf8)
        let ok =
            !chars.isEmpty
            && chars.allSatisfy { c in
                c == UInt8(ascii: "_") || (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
            } && !(chars[0] >= 0x30 && chars[0] <= 0x39)
        if !ok {
            error(
                "lint.bad-id",
                "The \(what) id \"\(id)\" must be letters, digits and _ and not start with a digit, "
                    + "so rules can name it.", at: location)
        }
    }
}
