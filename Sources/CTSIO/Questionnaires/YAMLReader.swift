import CTSCore
import Yams

/// Reads a Yams node tree with locations, collecting every problem instead of stopping at the first.
struct YAMLReader {
    let file: String
    var findings: [Finding] = []

    init(file: String) { self.file = file }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func error(_ message: String, at node: Node?, fix: String? = nil) {
        let text = message + (fix.map { " \($0)" } ?? "")
        findings.append(
            Finding(
                ruleID: "questionnaire.invalid", severity: .error, message: text,
                location: node.map(location) ?? SourceLocation(file: file, line: 1, column: 1)))
    }

    /// A mapping's entries by key; unknown keys and missing required keys are reported.
    mutating func mapping(_ node: Node, what: String, required: [String], optional: [String] = [])
        -> [String: Node]?
    {
        guard case .mapping(let mapping) = node else {
            error("\(what) must be a mapping of keys to values.", at: node)
            return nil
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = scalarText(keyNode) else {
                error("\(what): keys must be plain words.", at: keyNode)
                continue
            }
            if !(required + optional).contains(key) {
                let allowed = (required + optional).joined(separator: ", ")
                error("\(what) has an unknown key \"\(key)\".", at: keyNode, fix: "Allowed keys: \(allowed).")
                continue
            }
            if result[key] != nil { error("\(what): the key \"\(key)\" is given twice.", at: keyNode) }
            result[key] = value
        }
        for key in required where result[key] == nil {
            error("\(what) has no \"\(key)\".", at: node)
        }
        return result
    }

    func scalarText(_ node: Node) -> String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    mutating func string(_ node: Node?, what: String) -> String? {
        guard let node else { return nil }
        if case .alias = node {
            error("\(what): YAML aliases (*name) are not allowed in questionnaires.", at: node)
            return nil
        }
        guard let text = scalarText(node) else {
            error("\(what) must be a single value.", at: node)
            return nil
        }
        return text
    }

    mutating func int(_ node: Node?, what: String) -> Int? {
        guard let text = string(node, what: what) else { return nil }
        guard let value = Int(text) else {
            error("\(what) must be a whole number, not \"\(text)\".", at: node)
            return nil
        }
        return value
    }

    /// A number written as a decimal (`3.5`); with `percent`, also as a percentage (`10%`, giving 0.1).
    mutating func number(_ node: Node?, what: String, percent: Bool = false) -> Double? {
        guard let text = string(node, what: what) else { return nil }
        if percent, text.hasSuffix("%"), let p = Double(text.dropLast()), p.isFinite, p >= 0 { return p / 100 }
        guard let value = Double(text), value.isFinite, value >= 0 else {
            error(
                "\(what) must be a number of 0 or more, not \"\(text)\".", at: node,
                fix: percent ? "Write it as a percentage, e.g. 10%." : nil)
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node?, what: String, default value: Bool) -> Bool {
        guard let node, let text = string(node, what: what) else { return value }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            error("\(what) must be true or false, not \"\(text)\".", at: node)
            return value
        }
    }

    mutating func sequence(_ node: Node?, what: String) -> [Node] {
        guard let node else { return [] }
        if case .sequence(let seq) = node { return Array(seq) }
        if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return [] }
        error("\(what) must be a list.", at: node)
        return []
    }

    mutating func severity(_ node: Node?, what: String, default value: Severity) -> Severity {
        guard let node, let text = string(node, what: what) else { return value }
        guard let severity = Severity(rawValue: text) else {
            error("\(what): \"\(text)\" is not a severity.", at: node, fix: "Use error, warning or info.")
            return value
        }
        return severity
    }

    /// Where the first character of a scalar's text stands, and where its continuation lines start.
    func textLocator(_ node: Node, text: String) -> TextLocator {
        var start = location(node)
        var continuation = 1
        if case .scalar(let scalar) = node {
            switch scalar.style {
            case .singleQuoted, .doubleQuoted:
                start.column += 1
            case .literal, .folded:
                start.line += 1
                continuation = start.column + 2
                start.column = continuation
            default:
                continuation = start.column
            }
        }
        return TextLocator(start: start, continuationColumn: continuation, text: text)
    }
}
