/// The value of a rule (sub)expression: a number, a truth value, or unknown because a figure is missing.
///
/// Logic is three-valued: `false and unknown` is false and `true or unknown` is true; everything else
/// that touches an unknown is unknown, and carries the reasons so a skipped check can say why.
public enum RuleValue: Sendable, Equatable {
    case number(Double)
    case bool(Bool)
    case unknown(reasons: [String])

    static func unknown(_ reason: String) -> RuleValue { .unknown(reasons: [reason]) }

    var reasons: [String] {
        if case .unknown(let r) = self { return r }
        return []
    }

    static func merge(_ a: RuleValue, _ b: RuleValue) -> RuleValue {
        var seen: [String] = []
        for reason in a.reasons + b.reasons where !seen.contains(reason) { seen.append(reason) }
        return .unknown(reasons: seen)
    }
}
