/// Checks one rule expression against a questionnaire: names resolve, numbers and conditions are not mixed,
/// and `sum` is taken over a dimension whose code is a total.
struct RuleTypeChecker {
    enum ValueType { case number, bool, invalid }

    let questionnaire: Questionnaire
    let rule: Rule
    let locator: TextLocator?
    var baseOffset = 0
    var findings: [Finding] = []

    init(questionnaire: Questionnaire, rule: Rule, locator: TextLocator?, baseOffset: Int = 0) {
        self.questionnaire = questionnaire
        self.rule = rule
        self.locator = locator
        self.baseOffset = baseOffset
    }

    private mutating func error(_ id: String, _ message: String, offset: Int) {
        let location = locator?.location(ofOffset: baseOffset + offset) ?? rule.location
        findings.append(
            Finding(ruleID: id, severity: .error, message: "Rule \(rule.id): \(message)", location: location))
    }

    mutating func check(_ e: RuleExpression) -> ValueType {
        switch e {
        case .number:
            return .number
        case .reference(let r):
            return resolve(r) == nil ? .invalid : .number
        case .sum(let r, let dimension, let offset):
            guard let resolved = resolve(r) else { return .invalid }
            guard let d = questionnaire.dimensionIDs.firstIndex(of: dimension) else {
                error("lint.unknown-dimension", "there is no breakdown dimension \"\(dimension)\"", offset: offset)
                return .invalid
            }
            guard questionnaire.table(resolved.table)?.breakdowns.contains(dimension) == true else {
                error(
                    "lint.never-evaluated",
                    "table \(resolved.table) is not broken down by \(dimension), so the sum "
                        + "has no parts", offset: offset)
                return .invalid
            }
            let list = questionnaire.codeLists[d]
            let code = resolved.overrides[d] ?? list.grandTotal ?? ""
            if resolved.variable != nil || resolved.overrides[d] != nil, list.parts(of: code) == nil {
                error(
                    "lint.never-evaluated", "\(dimension)=\(code) is not a total, so it has no parts to add up",
                    offset: offset)
                return .invalid
            }
            return .number
        case .negate(let inner, let offset):
            return expect(.number, inner, "\"-\" applies to a number", offset)
        case .arithmetic(let op, let a, let b, let offset):
            let ta = expect(.number, a, "\"\(op.rawValue)\" needs numbers on both sides", offset)
            let tb = expect(.number, b, "\"\(op.rawValue)\" needs numbers on both sides", offset)
            return ta == .invalid || tb == .invalid ? .invalid : .number
        case .comparison(let op, let a, let b, _, let offset):
            let ta = expect(.number, a, "\"\(op.rawValue)\" compares numbers", offset)
            let tb = expect(.number, b, "\"\(op.rawValue)\" compares numbers", offset)
            return ta == .invalid || tb == .invalid ? .invalid : .bool
        case .and(let a, let b, let offset), .or(let a, let b, let offset):
            let ta = expect(.bool, a, "\"and\" and \"or\" join conditions", offset)
            let tb = expect(.bool, b, "\"and\" and \"or\" join conditions", offset)
            return ta == .invalid || tb == .invalid ? .invalid : .bool
        case .not(let inner, let offset):
            return expect(.bool, inner, "\"not\" applies to a condition", offset)
        case .call(let function, let arguments, let offset):
            switch function {
            case .present:
                return check(arguments[0]) == .invalid ? .invalid : .bool
            case .prev:
                return check(arguments[0])
            case .meanPrev:
                return expect(.number, arguments[0], "mean_prev takes a number", offset)
            case .abs, .min, .max:
                var result = ValueType.number
                for argument in arguments
                where expect(.number, argument, "\(function.rawValue) takes numbers", offset) == .invalid {
                    result = .invalid
                }
                return result
            }
        }
    }

    private mutating func expect(_ wanted: ValueType, _ e: RuleExpression, _ message: String, _ offset: Int)
        -> ValueType
    {
        let type = check(e)
        if type != .invalid && type != wanted {
            error("lint.type", message, offset: e.offset)
            return .invalid
        }
        return type
    }

    private mutating func resolve(_ r: RuleReference) -> ResolvedReference? {
        switch questionnaire.resolve(r, forEachTable: rule.forEachTable) {
        case .success(let resolved): return resolved
        case .failure(let problem):
            error("lint.unknown-reference", problem.message, offset: r.offset)
            return nil
        }
    }
}
