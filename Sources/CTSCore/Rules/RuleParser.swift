/// Recursive-descent parser for the rule language. Pure: text in, syntax tree or a positioned error out.
///
/// ```
/// expr       := or
/// or         := and ("or" and)*
/// and        := not ("and" not)*
/// not        := "not" not | comparison
/// comparison := additive (cmp additive ("within" NUMBER "%"?)?)?
/// additive   := term (("+" | "-") term)*
/// term       := unary (("*" | "/") unary)*
/// unary      := "-" unary | primary
/// primary    := NUMBER | "(" expr ")" | call | sum | reference
/// call       := ("abs" | "min" | "max" | "prev" | "mean_prev" | "present") "(" expr ("," expr)* ")"
/// sum        := "sum" "(" reference "," IDENT ")"
/// reference  := IDENT ("." IDENT)? ("[" IDENT "=" code ("," IDENT "=" code)* "]")?
/// ```
public struct RuleParser {
    /// Nesting deeper than this is refused, so hostile rules cannot exhaust the stack.
    public static let maximumDepth = 100
    /// More binary operators than this are refused: `a + b + c + …` is a tree as deep as it is long, which
    /// the checker and evaluator walk recursively (a 9,000-term sum overflowed the stack).
    public static let maximumOperators = 300

    private var tokens: [RuleLexer.Token]
    private var position = 0
    private var depth = 0
    private var operators = 0

    private init(tokens: [RuleLexer.Token]) { self.tokens = tokens }

    /// Parses a whole rule expression.
    public static func parse(_ text: String) throws(RuleSyntaxError) -> RuleExpression {
        var parser = RuleParser(tokens: try RuleLexer.tokenize(text))
        if case .end = parser.current.kind {
            throw RuleSyntaxError(offset: 0, message: "the rule expression is empty")
        }
        let expression = try parser.parseOr()
        guard case .end = parser.current.kind else {
            throw RuleSyntaxError(
                offset: parser.current.offset,
                message: "unexpected \(parser.describe(parser.current)) after a complete expression")
        }
        return expression
    }

    private var current: RuleLexer.Token { tokens[position] }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }

    private func isKeyword(_ k: String) -> Bool { current.kind == .identifier(k) }

    private mutating func expect(_ s: String, _ what: String) throws(RuleSyntaxError) {
        guard isSymbol(s) else {
            throw RuleSyntaxError(offset: current.offset, message: "expected \(what) but found \(describe(current))")
        }
        advance()
    }

    private func describe(_ token: RuleLexer.Token) -> String {
        switch token.kind {
        case .number(let n): "the number \(RuleFormatting.number(n))"
        case .identifier(let s): "\"\(s)\""
        case .string(let s): "\"\(s)\""
        case .symbol(let s): "\"\(s)\""
        case .end: "the end of the rule"
        }
    }

    private mutating func nested<T>(_ body: (inout RuleParser) throws(RuleSyntaxError) -> T) throws(RuleSyntaxError)
        -> T
    {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw RuleSyntaxError(
                offset: current.offset, message: "the expression is nested more than \(Self.maximumDepth) levels deep")
        }
        return try body(&self)
    }

    /// Counts one more binary operator at `offset`; refuses the rule past `maximumOperators`.
    private mutating func countOperator(at offset: Int) throws(RuleSyntaxError) {
        operators += 1
        guard operators <= Self.maximumOperators else {
            throw RuleSyntaxError(
                offset: offset,
                message: "the rule has more than \(Self.maximumOperators) operators; split it into several rules")
        }
    }

    private mutating func parseOr() throws(RuleSyntaxError) -> RuleExpression {
        try nested { (p: inout RuleParser) throws(RuleSyntaxError) in
            var lhs = try p.parseAnd()
            while p.isKeyword("or") {
                let offset = p.current.offset
                p.advance()
                try p.countOperator(at: offset)
                lhs = .or(lhs, try p.parseAnd(), offset: offset)
            }
            return lhs
        }
    }

    private mutating func parseAnd() throws(RuleSyntaxError) -> RuleExpression {
        var lhs = try parseNot()
        while isKeyword("and") {
            let offset = current.offset
            advance()
            try countOperator(at: offset)
            lhs = .and(lhs, try parseNot(), offset: offset)
        }
        return lhs
    }

    private mutating func parseNot() throws(RuleSyntaxError) -> RuleExpression {
        if isKeyword("not") {
            let offset = current.offset
            advance()
            return .not(
                try nested { (p: inout RuleParser) throws(RuleSyntaxError) in try p.parseNot() }, offset: offset)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(RuleSyntaxError) -> RuleExpression {
        let lhs = try parseAdditive()
        guard case .symbol(let s) = current.kind, let op = comparisonOperator(s) else { return lhs }
        let offset = current.offset
        advance()
        let rhs = try parseAdditive()
        var tolerance: RuleExpression.Tolerance?
        if isKeyword("within") {
            advance()
            guard case .number(let amount) = current.kind else {
                throw RuleSyntaxError(
                    offset: current.offset, message: "\"within\" takes a number, e.g. within 10% or within 5")
            }
            advance()
            let percent = isSymbol("%")
            if percent { advance() }
            tolerance = .init(amount: amount, isPercent: percent)
        }
        if case .symbol(let s2) = current.kind, comparisonOperator(s2) != nil {
            throw RuleSyntaxError(
                offset: current.offset, message: "comparisons cannot be chained; join them with \"and\"")
        }
        return .comparison(op, lhs, rhs, tolerance: tolerance, offset: offset)
    }

    private func comparisonOperator(_ s: String) -> RuleExpression.ComparisonOperator? {
        if s == "=" { return .equal }
        return RuleExpression.ComparisonOperator(rawValue: s)
    }

    private mutating func parseAdditive() throws(RuleSyntaxError) -> RuleExpression {
        var lhs = try parseTerm()
        while isSymbol("+") || isSymbol("-") {
            let op: RuleExpression.ArithmeticOperator = isSymbol("+") ? .add : .subtract
            let offset = current.offset
            advance()
            try countOperator(at: offset)
            lhs = .arithmetic(op, lhs, try parseTerm(), offset: offset)
        }
        return lhs
    }

    private mutating func parseTerm() throws(RuleSyntaxError) -> RuleExpression {
        var lhs = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let op: RuleExpression.ArithmeticOperator = isSymbol("*") ? .multiply : .divide
            let offset = current.offset
            advance()
            try countOperator(at: offset)
            lhs = .arithmetic(op, lhs, try parseUnary(), offset: offset)
        }
        return lhs
    }

    private mutating func parseUnary() throws(RuleSyntaxError) -> RuleExpression {
        if isSymbol("-") {
            let offset = current.offset
            advance()
            return .negate(
                try nested { (p: inout RuleParser) throws(RuleSyntaxError) in try p.parseUnary() }, offset: offset)
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(RuleSyntaxError) -> RuleExpression {
        let token = current
        switch token.kind {
        case .number(let n):
            advance()
            if isSymbol("%") {
                advance()
                return .number(n / 100, offset: token.offset)
            }
            return .number(n, offset: token.offset)
        case .symbol("("):
            advance()
            let inner = try parseOr()
            try expect(")", "a closing \")\"")
            return inner
        case .identifier(let name):
            if ["and", "or", "not", "within"].contains(name) {
                throw RuleSyntaxError(
                    offset: token.offset, message: "expected a value but found the keyword \"\(name)\"")
            }
            if tokens[position + 1].kind == .symbol("(") {
                return try parseCall(name, offset: token.offset)
            }
            return .reference(try parseReference())
        default:
            throw RuleSyntaxError(offset: token.offset, message: "expected a value but found \(describe(token))")
        }
    }

    private mutating func parseCall(_ name: String, offset: Int) throws(RuleSyntaxError) -> RuleExpression {
        advance()  // name
        advance()  // (
        if name == "sum" {
            let reference = try parseReference()
            try expect(",", "\",\" and the dimension to add up, e.g. sum(victims.homicide, sex)")
            guard case .identifier(let dimension) = current.kind else {
                throw RuleSyntaxError(offset: current.offset, message: "sum needs a dimension name, e.g. sex")
            }
            advance()
            try expect(")", "a closing \")\"")
            return .sum(reference, dimension: dimension, offset: offset)
        }
        guard let function = RuleFunction(rawValue: name) else {
            let known = (RuleFunction.allCases.map(\.rawValue) + ["sum"]).sorted().joined(separator: ", ")
            throw RuleSyntaxError(offset: offset, message: "\"\(name)\" is not a function; the functions are \(known)")
        }
        var arguments: [RuleExpression] = []
        if !isSymbol(")") {
            arguments.append(try parseOr())
            while isSymbol(",") {
                advance()
                arguments.append(try parseOr())
            }
        }
        try expect(")", "a closing \")\"")
        guard function.arity.contains(arguments.count) else {
            let wanted =
                function.arity.count == 1 ? "\(function.arity.lowerBound)" : "\(function.arity.lowerBound) or more"
            throw RuleSyntaxError(
                offset: offset, message: "\(name) takes \(wanted) argument(s) but was given \(arguments.count)")
        }
        if function == .prev || function == .meanPrev, arguments.count == 2 {
            guard case .number(let n, _) = arguments[1], n == n.rounded(), (1...Double(RuleFunction.maximumYears)).contains(n)
            else {
                throw RuleSyntaxError(
                    offset: arguments[1].offset,
                    message: "\(name) takes a number of years from 1 to \(RuleFunction.maximumYears) as its second "
                        + "argument, e.g. \(name)(this, 3)")
            }
        }
        if function == .present, !arguments[0].isReference {
            throw RuleSyntaxError(
                offset: offset, message: "present takes a cell reference, e.g. present(police.robbery)")
        }
        return .call(function, arguments, offset: offset)
    }

    private mutating func parseReference() throws(RuleSyntaxError) -> RuleReference {
        guard case .identifier(let first) = current.kind else {
            throw RuleSyntaxError(offset: current.offset, message: "expected a variable but found \(describe(current))")
        }
        let offset = current.offset
        advance()
        var table: String? = nil
        var variable = first
        if isSymbol(".") {
            advance()
            guard case .identifier(let second) = current.kind else {
                throw RuleSyntaxError(
                    offset: current.offset, message: "expected a variable name after \"\(first).\"")
            }
            advance()
            table = first
            variable = second
        }
        var selectors: [RuleReference.Selector] = []
        if isSymbol("[") {
            advance()
            repeat {
                if isSymbol(",") { advance() }
                guard case .identifier(let dimension) = current.kind else {
                    throw RuleSyntaxError(offset: current.offset, message: "expected a dimension name, e.g. [sex=F]")
                }
                let selectorOffset = current.offset
                advance()
                try expect("=", "\"=\" and a code, e.g. [sex=F]")
                let code: String
                switch current.kind {
                case .identifier(let s), .string(let s): code = s
                case .number(let n): code = RuleFormatting.number(n)
                default:
                    throw RuleSyntaxError(offset: current.offset, message: "expected a code after \"\(dimension)=\"")
                }
                advance()
                selectors.append(.init(dimension: dimension, code: code, offset: selectorOffset))
            } while isSymbol(",")
            try expect("]", "a closing \"]\"")
        }
        return RuleReference(table: table, variable: variable, selectors: selectors, offset: offset)
    }
}
