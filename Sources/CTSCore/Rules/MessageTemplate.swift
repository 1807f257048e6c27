/// A rule's message with `{expression}` placeholders, e.g. `Convicted ({convicted.homicide}) exceed ...`.
public struct MessageTemplate: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case text(String)
        case expression(RuleExpression, source: String, offset: Int)
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    /// Parses the template; `{{` and `}}` stand for literal braces. Errors carry the offset in the template.
    public static func parse(_ template: String) throws(RuleSyntaxError) -> MessageTemplate {
        let chars = Array(template)
        var parts: [Part] = []
        var text = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" && i + 1 < chars.count && chars[i + 1] == "{" {
                text.append("{")
                i += 2
            } else if c == "}" && i + 1 < chars.count && chars[i + 1] == "}" {
                text.append("}")
                i += 2
            } else if c == "{" {
                guard let close = chars[(i + 1)...].firstIndex(of: "}") else {
                    throw RuleSyntaxError(offset: i, message: "this \"{\" has no closing \"}\" (write {{ for a brace)")
                }
                let source = String(chars[(i + 1)..<close])
                let expression: RuleExpression
                do {
                    expression = try RuleParser.parse(source)
                } catch {
                    throw RuleSyntaxError(offset: i + 1 + error.offset, message: error.message)
                }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.expression(expression, source: source, offset: i + 1))
                i = close + 1
            } else if c == "}" {
                throw RuleSyntaxError(offset: i, message: "this \"}\" has no opening \"{\" (write }} for a brace)")
            } else {
                text.append(c)
                i += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return MessageTemplate(parts: parts)
    }

    /// The expressions inside placeholders.
    public var expressions: [RuleExpression] {
        parts.compactMap { if case .expression(let e, _, _) = $0 { e } else { nil } }
    }

    /// Fills the placeholders using `evaluate`; an unknown value prints as `?`.
    public func render(_ evaluate: (RuleExpression) -> RuleValue) -> String {
        parts.map { part in
            switch part {
            case .text(let t): return t
            case .expression(let e, _, _):
                switch evaluate(e) {
                case .number(let n): return RuleFormatting.number(n)
                case .bool(let b): return b ? "true" : "false"
                case .unknown: return "?"
                }
            }
        }.joined()
    }
}
