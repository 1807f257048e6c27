/// Where a rule finds the cells it refers to.
public protocol CellLookup: Sendable {
    /// The cell with this key, if the return (or the store, for earlier years) has it.
    func cell(_ key: CellKey) -> ReturnCell?
    /// What a rule reads of the cell with this key; a lookup may answer it without building the cell.
    func figure(_ key: CellKey) -> CellFigure?
}

/// What a rule reads of a cell: its figure, status and what it adds to a sum.
public struct CellFigure: Sendable, Equatable {
    public var value: Double?
    public var status: ObservationStatus
    public var contribution: Double?

    public init(value: Double?, status: ObservationStatus, contribution: Double?) {
        self.value = value
        self.status = status
        self.contribution = contribution
    }
}

extension CellLookup {
    public func figure(_ key: CellKey) -> CellFigure? {
        cell(key).map { CellFigure(value: $0.value, status: $0.status, contribution: $0.contribution) }
    }
}

/// Evaluates a rule expression for one country-year (and, for `for_each` rules, one cell). Pure.
public struct RuleEvaluator: Sendable {
    public var questionnaire: Questionnaire
    public let cells: any CellLookup
    public var forEachTable: String?
    /// `cells` when it is a `CellTable`: cells are then found by packed key.
    let table: Table?
    /// Names resolved once, up front, for the references of the expressions this evaluator will see.
    let bindings: [Binding]

    /// - Parameter expressions: the expressions to be evaluated (a rule's condition and its message's
    ///   placeholders); their names are resolved here once instead of at every evaluation.
    public init(
        questionnaire: Questionnaire, cells: any CellLookup, forEachTable: String? = nil,
        binding expressions: [RuleExpression] = []
    ) {
        self.questionnaire = questionnaire
        self.cells = cells
        self.forEachTable = forEachTable
        let table = (cells as? CellTable).map(Table.init)
        self.table = table
        var bindings: [Binding] = []
        for reference in expressions.flatMap(\.references)
        where !bindings.contains(where: { $0.reference == reference }) {
            if case .success(let resolved) = questionnaire.resolve(reference, forEachTable: forEachTable) {
                bindings.append(
                    Binding(
                        reference: reference, resolved: resolved,
                        packed: table.flatMap { PackedReference(resolved, coder: $0.cells.coder) }))
            }
        }
        self.bindings = bindings
    }

    /// What `reference` names, from the bindings or, for an expression not bound up front, resolved now.
    public func resolved(_ reference: RuleReference) -> ResolvedReference? { binding(reference)?.resolved }

    /// Evaluates `expression` for `country` and `year`; `this` is the cell a `for_each` rule looks at.
    public func evaluate(_ expression: RuleExpression, country: String, year: Int, this: CellKey? = nil) -> RuleValue {
        evaluate(expression, subject(country: country, year: year, this: this))
    }

    /// Evaluates `expression` for a subject.
    func evaluate(_ expression: RuleExpression, _ subject: RuleSubject) -> RuleValue {
        switch expression {
        case .number(let n, _):
            return .number(n)
        case .reference(let reference):
            return value(of: reference, subject)
        case .sum(let reference, let dimension, _):
            return sum(reference, over: dimension, subject)
        case .negate(let e, _):
            let v = evaluate(e, subject)
            if case .number(let n) = v { return .number(-n) }
            return v
        case .arithmetic(let op, let a, let b, _):
            let lhs = evaluate(a, subject)
            let rhs = evaluate(b, subject)
            guard case .number(let x) = lhs, case .number(let y) = rhs else { return RuleValue.merge(lhs, rhs) }
            switch op {
            case .add: return .number(x + y)
            case .subtract: return .number(x - y)
            case .multiply: return .number(x * y)
            case .divide: return y == 0 ? .unknown("a division by zero") : .number(x / y)
            }
        case .comparison(let op, let a, let b, let tolerance, _):
            let lhs = evaluate(a, subject)
            let rhs = evaluate(b, subject)
            guard case .number(let x) = lhs, case .number(let y) = rhs else { return RuleValue.merge(lhs, rhs) }
            return .bool(Self.compare(op, x, y, tolerance: tolerance))
        case .and(let a, let b, _):
            let lhs = evaluate(a, subject)
            if lhs == .bool(false) { return lhs }
            let rhs = evaluate(b, subject)
            if rhs == .bool(false) { return rhs }
            if lhs == .bool(true), rhs == .bool(true) { return .bool(true) }
            return RuleValue.merge(lhs, rhs)
        case .or(let a, let b, _):
            let lhs = evaluate(a, subject)
            if lhs == .bool(true) { return lhs }
            let rhs = evaluate(b, subject)
            if rhs == .bool(true) { return rhs }
            if lhs == .bool(false), rhs == .bool(false) { return .bool(false) }
            return RuleValue.merge(lhs, rhs)
        case .not(let e, _):
            let v = evaluate(e, subject)
            if case .bool(let b) = v { return .bool(!b) }
            return v
        case .call(let function, let arguments, _):
            return call(function, arguments, subject)
        }
    }

    static func compare(
        _ op: RuleExpression.ComparisonOperator, _ x: Double, _ y: Double, tolerance: RuleExpression.Tolerance?
    ) -> Bool {
        let slack = tolerance.map { $0.isPercent ? abs(y) * $0.amount / 100 : $0.amount } ?? 0
        switch op {
        case .equal: return abs(x - y) <= slack
        case .notEqual: return abs(x - y) > slack
        case .less: return x < y + slack
        case .lessOrEqual: return x <= y + slack
        case .greater: return x > y - slack
        case .greaterOrEqual: return x >= y - slack
        }
    }

    private func call(_ function: RuleFunction, _ arguments: [RuleExpression], _ subject: RuleSubject) -> RuleValue {
        switch function {
        case .prev:
            var before = subject
            before.year -= RuleFunction.years(arguments)
            return evaluate(arguments[0], before)
        case .meanPrev:
            // The mean of the years that are known; unknown only when none is.
            let n = RuleFunction.years(arguments)
            var total = 0.0
            var known = 0
            var reasons: [String] = []
            for back in 1...n {
                var before = subject
                before.year -= back
                switch evaluate(arguments[0], before) {
                case .number(let x):
                    total += x
                    known += 1
                case let other:
                    reasons += other.reasons
                }
            }
            if known > 0 { return .number(total / Double(known)) }
            return .unknown("no figure in the \(n) years before \(subject.year)" + (reasons.first.map { " (\($0))" } ?? ""))
        case .present:
            guard case .reference(let reference) = arguments[0],
                let binding = binding(reference),
                let target = target(binding, subject)
            else { return .bool(false) }
            return .bool(figure(target)?.value != nil)
        case .abs, .min, .max:
            var numbers: [Double] = []
            var unknown: RuleValue? = nil
            for argument in arguments {
                let v = evaluate(argument, subject)
                if case .number(let n) = v {
                    numbers.append(n)
                } else {
                    unknown = RuleValue.merge(unknown ?? .unknown(reasons: []), v)
                }
            }
            if let unknown { return unknown }
            switch function {
            case .abs: return .number(Swift.abs(numbers[0]))
            case .min: return .number(numbers.min()!)
            default: return .number(numbers.max()!)
            }
        }
    }

    private func value(of reference: RuleReference, _ subject: RuleSubject) -> RuleValue {
        guard let binding = binding(reference), let target = target(binding, subject) else {
            return .unknown("\(reference.text) cannot be resolved")
        }
        guard let cell = figure(target) else {
            return .unknown("\(describe(target)) is not reported")
        }
        guard let value = cell.value else {
            return .unknown(
                "\(describe(target)) has no figure (status \(cell.status.rawValue): \(cell.status.meaning))")
        }
        return .number(value)
    }

    private func sum(_ reference: RuleReference, over dimension: String, _ subject: RuleSubject) -> RuleValue {
        guard let binding = binding(reference),
            let target = target(binding, subject),
            let index = questionnaire.dimensionIDs.firstIndex(of: dimension),
            let parts = questionnaire.codeLists[index].parts(of: code(target, dimension: index))
        else { return .unknown("sum(\(reference.text), \(dimension)) cannot be resolved") }
        var total = 0.0
        var missing: [String] = []
        for part in parts {
            let partTarget = self.target(target, dimension: index, code: part)
            if let contribution = figure(partTarget)?.contribution {
                total += contribution
            } else {
                missing.append("\(describe(partTarget)) is not reported")
            }
        }
        return missing.isEmpty ? .number(total) : .unknown(reasons: missing)
    }
}
