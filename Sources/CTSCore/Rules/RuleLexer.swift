/// Splits rule text into tokens. Pure; positions are 0-based character offsets.
struct RuleLexer {
    enum Kind: Equatable {
        case number(Double)
        case identifier(String)
        case string(String)
        case symbol(String)
        case end
    }

    struct Token: Equatable {
        var kind: Kind
        var offset: Int
    }

    static func tokenize(_ text: String) throws(RuleSyntaxError) -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            let start = i
            if c.isASCII && c.isNumber {
                while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
                if i + 1 < chars.count, chars[i] == ".", chars[i + 1].isASCII, chars[i + 1].isNumber {
                    i += 1
                    while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
                }
                guard let value = Double(String(chars[start..<i])) else {
                    throw RuleSyntaxError(offset: start, message: "this number cannot be read")
                }
                tokens.append(Token(kind: .number(value), offset: start))
            } else if c == "_" || (c.isASCII && c.isLetter) {
                while i < chars.count, chars[i] == "_" || (chars[i].isASCII && (chars[i].isLetter || chars[i].isNumber))
                {
                    i += 1
                }
                tokens.append(Token(kind: .identifier(String(chars[start..<i])), offset: start))
            } else if c == "\"" || c == "'" {
                i += 1
                while i < chars.count, chars[i] != c { i += 1 }
                guard i < chars.count else {
                    throw RuleSyntaxError(offset: start, message: "this quoted code has no closing \(c)")
                }
                tokens.append(Token(kind: .string(String(chars[(start + 1)..<i])), offset: start))
                i += 1
            } else {
                let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
                if ["==", "!=", "<=", ">="].contains(two) {
                    tokens.append(Token(kind: .symbol(two), offset: start))
                    i += 2
                } else if "+-*/()[],.<>=%".contains(c) {
                    tokens.append(Token(kind: .symbol(String(c)), offset: start))
                    i += 1
                } else {
                    throw RuleSyntaxError(
                        offset: start, message: "the character \"\(c)\" is not part of the rule language")
                }
            }
        }
        tokens.append(Token(kind: .end, offset: chars.count))
        return tokens
    }
}

/// A syntax error in a rule expression, at a 0-based character offset.
public struct RuleSyntaxError: Error, Sendable, Equatable {
    public var offset: Int
    public var message: String
}
