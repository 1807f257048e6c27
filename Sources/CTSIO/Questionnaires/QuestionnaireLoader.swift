import CTSCore
import Yams

/// Loads a questionnaire definition from YAML (format in docs/QUESTIONNAIRES.md).
///
/// Every structural problem is collected with its file, line and column. The questionnaire is returned
/// whenever its outline could be read (rules that did not parse are left out), so linting can go on;
/// it is fit for use only when `findings` has no error. Semantic checks are `QuestionnaireLinter`'s.
public enum QuestionnaireLoader {
    public struct Result: Sendable {
        public var questionnaire: Questionnaire?
        public var findings: [Finding]
    }

    public static func load(path: String, displayName: String? = nil) throws -> Result {
        let name = displayName ?? path
        let bytes = try FileInput.readAll(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return Result(
                questionnaire: nil,
                findings: [
                    InputError(
                        "The questionnaire is not valid UTF-8.", code: "questionnaire.invalid",
                        at: SourceLocation(file: name, line: 1, column: 1), fix: "Save it as UTF-8."
                    ).finding
                ])
        }
        return load(yaml: text, file: name)
    }

    public static func load(yaml: String, file: String) -> Result {
        var reader = YAMLReader(file: file)
        let root: Node?
        // The parser keeps the anchors alive (nodes hold them weakly), so it must outlive the anchor check.
        let parser: Parser
        do {
            parser = try Parser(yaml: yaml)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            reader.findings.append(syntaxFinding(error, file: file))
            return Result(questionnaire: nil, findings: reader.findings)
        } catch {
            reader.error("The file cannot be read as YAML: \(error).", at: nil)
            return Result(questionnaire: nil, findings: reader.findings)
        }
        guard let root else {
            reader.error("The questionnaire file is empty.", at: nil)
            return Result(questionnaire: nil, findings: reader.findings)
        }
        if let anchored = withExtendedLifetime(parser, { firstAnchored(root) }) {
            reader.error(
                "YAML anchors and aliases (&name, *name) are not allowed in questionnaires.", at: anchored,
                fix: "Write each value out in full.")
            return Result(questionnaire: nil, findings: reader.findings)
        }
        let q = build(root, &reader, file: file)
        return Result(questionnaire: q, findings: reader.findings)
    }

    /// Parses rule-language text, turning a syntax error into a finding at the exact character.
    private static func parsed<T>(
        _ text: String, at locator: TextLocator, what: String, _ r: inout YAMLReader,
        _ parse: (String) throws(RuleSyntaxError) -> T
    ) -> T? {
        do {
            return try parse(text)
        } catch {
            r.findings.append(
                Finding(
                    ruleID: "rule.syntax", severity: .error, message: "\(what): \(error.message).",
                    location: locator.location(ofOffset: error.offset)))
            return nil
        }
    }

    /// The first node that carries an anchor (aliases resolve to anchored nodes), if any.
    static func firstAnchored(_ node: Node) -> Node? {
        if node.anchor != nil { return node }
        switch node {
        case .mapping(let m):
            for (k, v) in m { if let found = firstAnchored(k) ?? firstAnchored(v) { return found } }
        case .sequence(let s):
            for v in s { if let found = firstAnchored(v) { return found } }
        case .alias: return node
        case .scalar: break
        }
        return nil
    }

    static func syntaxFinding(_ error: YamlError, file: String) -> Finding {
        var location = SourceLocation(file: file, line: 1, column: 1)
        var problem = "\(error)"
        switch error {
        case .scanner(_, let p, let mark, _), .parser(_, let p, let mark, _), .composer(_, let p, let mark, _):
            location = SourceLocation(file: file, line: mark.line, column: mark.column)
            problem = p
        case .duplicatedKeysInMapping(let duplicates, let context):
            location = SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
            problem = "duplicate keys \(duplicates.joined(separator: ", "))"
        default: break
        }
        return Finding(
            ruleID: "questionnaire.yaml", severity: .error,
            message: "This is not valid YAML: \(problem).", location: location)
    }

    private static func build(_ root: Node, _ r: inout YAMLReader, file: String) -> Questionnaire? {
        guard
            let top = r.mapping(
                root, what: "The questionnaire",
                required: ["id", "version", "title", "reference_years", "code_lists", "tables"],
                optional: ["rules", "checks", "history", "description"])
        else { return nil }
        let id = r.string(top["id"], what: "id") ?? ""
        let version = r.string(top["version"], what: "version") ?? ""
        let title = r.string(top["title"], what: "title") ?? ""
        var years = 0...0
        if let node = top["reference_years"],
            let m = r.mapping(node, what: "reference_years", required: ["from", "to"])
        {
            let from = r.int(m["from"], what: "reference_years.from") ?? 0
            let to = r.int(m["to"], what: "reference_years.to") ?? 0
            if from > to {
                r.error("reference_years: from (\(from)) is after to (\(to)).", at: node)
            } else {
                years = from...to
            }
        }
        var totalSeverity = Severity.error
        var parentSeverity = Severity.warning
        if let node = top["checks"],
            let m = r.mapping(
                node, what: "checks", required: [],
                optional: ["breakdown_total", "iccs_parent"])
        {
            totalSeverity = r.severity(m["breakdown_total"], what: "checks.breakdown_total", default: .error)
            parentSeverity = r.severity(m["iccs_parent"], what: "checks.iccs_parent", default: .warning)
        }
        let history = top["history"].map { historySettings($0, &r) } ?? HistorySettings()
        let lists = r.sequence(top["code_lists"], what: "code_lists").compactMap { codeList($0, &r) }
        let tables = r.sequence(top["tables"], what: "tables").compactMap { table($0, &r) }
        let rules = r.sequence(top["rules"], what: "rules").compactMap { rule($0, &r) }
        return Questionnaire(
            id: id, version: version, title: title, referenceYears: years, codeLists: lists, tables: tables,
            rules: rules, breakdownTotalSeverity: totalSeverity, iccsParentSeverity: parentSeverity,
            history: history, source: file)
    }

    /// `history: {revision_threshold: 10%, outliers: {method: change, threshold: 3.5, min_years: 3}}`.
    private static func historySettings(_ node: Node, _ r: inout YAMLReader) -> HistorySettings {
        var settings = HistorySettings()
        guard let m = r.mapping(node, what: "history", required: [], optional: ["revision_threshold", "outliers"])
        else { return settings }
        if let t = r.number(m["revision_threshold"], what: "history.revision_threshold", percent: true) {
            settings.revisionThreshold = t
        }
        if let o = m["outliers"],
            let om = r.mapping(o, what: "history.outliers", required: [], optional: ["method", "threshold", "min_years"])
        {
            if let text = r.string(om["method"], what: "history.outliers.method") {
                if let method = OutlierTest.Method(rawValue: text) {
                    settings.outliers.method = method
                } else {
                    r.error(
                        "history.outliers.method: \"\(text)\" is not a method.", at: om["method"],
                        fix: "Use change (year-on-year changes) or level (the figures, as rates when possible).")
                }
            }
            if let t = r.number(om["threshold"], what: "history.outliers.threshold") { settings.outliers.threshold = t }
            if let y = r.int(om["min_years"], what: "history.outliers.min_years") {
                if y >= 2 {
                    settings.outliers.minimumYears = y
                } else {
                    r.error("history.outliers.min_years must be 2 or more, not \(y).", at: om["min_years"])
                }
            }
        }
        return settings
    }

    private static func codeList(_ node: Node, _ r: inout YAMLReader) -> CodeList? {
        guard let m = r.mapping(node, what: "A code list", required: ["id", "label", "codes", "totals"]) else {
            return nil
        }
        let id = r.string(m["id"], what: "code list id") ?? ""
        var codes: [CodeList.Code] = []
        for c in r.sequence(m["codes"], what: "codes of \(id)") {
            guard let cm = r.mapping(c, what: "A code of \(id)", required: ["code", "label"]) else { continue }
            codes.append(
                .init(code: r.string(cm["code"], what: "code") ?? "", label: r.string(cm["label"], what: "label") ?? "")
            )
        }
        var totals: [CodeList.Total] = []
        for t in r.sequence(m["totals"], what: "totals of \(id)") {
            guard let tm = r.mapping(t, what: "A total of \(id)", required: ["code", "parts"]) else { continue }
            let parts = r.sequence(tm["parts"], what: "parts").compactMap { r.string($0, what: "part") }
            totals.append(.init(code: r.string(tm["code"], what: "total code") ?? "", parts: parts))
        }
        return CodeList(
            id: id, label: r.string(m["label"], what: "label") ?? id, codes: codes, totals: totals,
            location: r.location(node))
    }

    private static func table(_ node: Node, _ r: inout YAMLReader) -> Table? {
        guard
            let m = r.mapping(
                node, what: "A table", required: ["id", "title", "unit", "indicator", "variables"],
                optional: ["breakdowns", "description", "national_categories", "required"])
        else { return nil }
        let id = r.string(m["id"], what: "table id") ?? ""
        let breakdowns = r.sequence(m["breakdowns"], what: "breakdowns of \(id)").compactMap {
            r.string($0, what: "breakdown")
        }
        var variables: [Variable] = []
        for v in r.sequence(m["variables"], what: "variables of \(id)") {
            guard
                let vm = r.mapping(
                    v, what: "A variable of \(id)", required: ["id", "label"],
                    optional: ["iccs", "required", "description"])
            else { continue }
            var code: ICCSCode? = nil
            if let node = vm["iccs"], let text = r.string(node, what: "iccs") {
                code = ICCSCode(text)
                if code == nil {
                    r.error(
                        "\"\(text)\" is not an ICCS code: codes have 2, 4, 5 or 6 digits and keep their leading "
                            + "zeros.", at: node, fix: "Write it in quotes with its zeros, e.g. iccs: \"0101\".")
                }
            }
            variables.append(
                Variable(
                    id: r.string(vm["id"], what: "variable id") ?? "",
                    label: r.string(vm["label"], what: "label") ?? "",
                    iccs: code, required: r.bool(vm["required"], what: "required", default: false),
                    location: r.location(v)))
        }
        return Table(
            id: id, title: r.string(m["title"], what: "title") ?? "", unit: r.string(m["unit"], what: "unit") ?? "",
            indicator: r.string(m["indicator"], what: "indicator") ?? "", breakdowns: breakdowns,
            variables: variables,
            nationalCategories: r.bool(m["national_categories"], what: "national_categories", default: false),
            required: r.bool(m["required"], what: "required", default: false), location: r.location(node))
    }

    private static func rule(_ node: Node, _ r: inout YAMLReader) -> Rule? {
        guard
            let m = r.mapping(
                node, what: "A rule", required: ["id", "severity", "message", "expr"],
                optional: ["for_each", "description"])
        else { return nil }
        let id = r.string(m["id"], what: "rule id") ?? ""
        let severity = r.severity(m["severity"], what: "severity of rule \(id)", default: .error)
        guard let exprNode = m["expr"], let exprText = r.string(exprNode, what: "expr of rule \(id)"),
            let messageNode = m["message"], let messageText = r.string(messageNode, what: "message of rule \(id)")
        else { return nil }
        let exprLocator = r.textLocator(exprNode, text: exprText)
        let messageLocator = r.textLocator(messageNode, text: messageText)
        let expression = parsed(exprText, at: exprLocator, what: "Rule \(id)", &r) { text throws(RuleSyntaxError) in
            try RuleParser.parse(text)
        }
        let message = parsed(messageText, at: messageLocator, what: "Rule \(id), message", &r) {
            text throws(RuleSyntaxError) in try MessageTemplate.parse(text)
        }
        guard let expression, let message else { return nil }
        return Rule(
            id: id, severity: severity, message: message, expression: expression,
            forEachTable: r.string(m["for_each"], what: "for_each"), location: r.location(node),
            expressionText: exprLocator, messageText: messageLocator)
    }
}
