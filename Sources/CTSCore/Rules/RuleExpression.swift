/// The syntax tree of a rule expression (grammar in docs/RULES.md).
///
/// Every node carries `offset`, the 0-based character offset of its first character in the rule text, so
/// errors and findings can point at the exact spot.
public indirect enum RuleExpression: Sendable, Equatable {
    case number(Double, offset: Int)
    case reference(RuleReference)
    case negate(RuleExpression, offset: Int)
    case arithmetic(ArithmeticOperator, RuleExpression, RuleExpression, offset: Int)
    case comparison(ComparisonOperator, RuleExpression, RuleExpression, tolerance: Tolerance?, offset: Int)
    case and(RuleExpression, RuleExpression, offset: Int)
    case or(RuleExpression, RuleExpression, offset: Int)
    case not(RuleExpression, offset: Int)
    case call(RuleFunction, [RuleExpression], offset: Int)
    /// `sum(ref, dim)`: the parts of `dim`'s total for the referenced cell, added up.
    case sum(RuleReference, dimension: String, offset: Int)

    public enum ArithmeticOperator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }

    public enum ComparisonOperator: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    /// `within 10%` (relative to the right-hand side) or `within 5` (absolute).
    public struct Tolerance: Sendable, Equatable {
        public var amount: Double
        public var isPercent: Bool
    }

    public var offset: Int {
        switch self {
        case .number(_, let o), .negate(_, let o), .arithmetic(_, _, _, let o), .comparison(_, _, _, _, let o),
            .and(_, _, let o), .or(_, _, let o), .not(_, let o), .call(_, _, let o), .sum(_, _, let o):
            o
        case .reference(let r): r.offset
        }
    }

    /// True for a plain cell reference.
    public var isReference: Bool {
        if case .reference = self { return true }
        return false
    }

    /// Every cell reference in the expression, in reading order (including those inside `sum`).
    public var references: [RuleReference] {
        switch self {
        case .number: []
        case .reference(let r): [r]
        case .sum(let r, _, _): [r]
        case .negate(let e, _), .not(let e, _): e.references
        case .arithmetic(_, let a, let b, _), .comparison(_, let a, let b, _, _), .and(let a, let b, _),
            .or(let a, let b, _):
            a.references + b.references
        case .call(_, let args, _): args.flatMap(\.references)
        }
    }

    /// True when the expression (somewhere) looks at an earlier year.
    public var usesPreviousYear: Bool { yearsBefore > 0 }

    /// How many years before the subject's year the expression looks, at most (`prev(prev(x))`: 2).
    public var yearsBefore: Int {
        switch self {
        case .number, .reference, .sum: 0
        case .call(.prev, let args, _), .call(.meanPrev, let args, _):
            RuleFunction.years(args) + args[0].yearsBefore
        case .negate(let e, _), .not(let e, _): e.yearsBefore
        case .arithmetic(_, let a, let b, _), .comparison(_, let a, let b, _, _), .and(let a, let b, _),
            .or(let a, let b, _):
            max(a.yearsBefore, b.yearsBefore)
        case .call(_, let args, _): args.map(\.yearsBefore).max() ?? 0
        }
    }
}

/// The built-in functions of the rule language.
public enum RuleFunction: String, Sendable, CaseIterable {
    case abs, min, max
    /// `prev(e)`: `e` evaluated for the year before; `prev(e, k)`: `k` years before.
    case prev
    /// `mean_prev(e, n)`: the mean of `e` over the `n` years before, of those years where it is known.
    case meanPrev = "mean_prev"
    /// `present(ref)`: true when the cell has a figure (not empty, not L or M).
    case present

    var arity: ClosedRange<Int> {
        switch self {
        case .abs, .present: 1...1
        case .prev: 1...2
        case .meanPrev: 2...2
        case .min, .max: 2...8
        }
    }

    /// How far back `prev` and `mean_prev` look: the whole number of their second argument (1 without).
    /// The parser accepts only 1 to `maximumYears` there.
    static func years(_ arguments: [RuleExpression]) -> Int {
        if arguments.count > 1, case .number(let n, _) = arguments[1] { return Int(n) }
        return 1
    }

    /// The furthest back a rule may look.
    public static let maximumYears = 30
}

/// A reference to a cell of the same country-year: `table.variable[dim=code, ...]`, `variable`, or `this`.
public struct RuleReference: Sendable, Hashable {
    /// nil when the variable was named alone (it must then be unique in the questionnaire) or for `this`.
    public var table: String?
    /// The variable id, or `this` for the cell a `for_each` rule is looking at.
    public var variable: String
    /// Breakdown codes chosen explicitly; any dimension not named is taken at its total.
    public var selectors: [Selector]
    public var offset: Int

    public struct Selector: Sendable, Hashable {
        public var dimension: String
        public var code: String
        public var offset: Int
    }

    public var isThis: Bool { table == nil && variable == "this" }

    /// The reference as written, e.g. `convicted.homicide[sex=F]`.
    public var text: String {
        var s = (table.map { "\($0)." } ?? "") + variable
        if !selectors.isEmpty { s += "[" + selectors.map { "\($0.dimension)=\($0.code)" }.joined(separator: ",") + "]" }
        return s
    }
}
