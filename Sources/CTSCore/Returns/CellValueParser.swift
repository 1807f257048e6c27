/// Reads the `value` and `status` fields of a return row and says exactly what is wrong with them.
///
/// Only plain decimal numbers are accepted (`1234`, `12.5`). Thousands separators, decimal commas, signs,
/// exponents and placeholders such as `..` or `:` are rejected with the fix, never reinterpreted.
public enum CellValueParser {
    /// A problem with a value or status, phrased for a focal point.
    public struct Problem: Sendable, Equatable, Error {
        public var ruleID: String
        public var message: String
        /// Which field the problem is in: the value or the status.
        public var inStatus: Bool
    }

    /// The largest count the parser accepts (more than ten times the world's population).
    public static let maximum: Double = 1e11

    /// Parses a status field; empty means A (normal).
    public static func status(_ raw: String) -> Result<ObservationStatus, Problem> {
        let text = raw
        if text.isEmpty { return .success(.normal) }
        if let status = ObservationStatus(rawValue: text) { return .success(status) }
        if let status = ObservationStatus(rawValue: text.uppercased()) {
            return .failure(
                Problem(
                    ruleID: "status.unknown",
                    message: "Status \"\(raw)\" must be written in capitals: \(status.rawValue) (\(status.meaning)).",
                    inStatus: true))
        }
        let list = ObservationStatus.allCases.map { "\($0.rawValue) (\($0.meaning))" }.joined(separator: ", ")
        return .failure(
            Problem(
                ruleID: "status.unknown",
                message: "Status \"\(raw)\" is not an observation status. Use one of: \(list).",
                inStatus: true))
    }

    /// Parses a status field given as its UTF-8 bytes: the same rule as `status(_:)`, which it calls for
    /// anything but an empty field or one status letter (those make no string).
    public static func status(bytes: UnsafeRawBufferPointer) -> Result<ObservationStatus, Problem> {
        if bytes.isEmpty { return .success(.normal) }
        if bytes.count == 1, bytes[0] < 0x80, let status = ObservationStatus(rawValue: String(UnicodeScalar(bytes[0])))
        {
            return .success(status)
        }
        return self.status(String(decoding: bytes, as: UTF8.self))
    }

    /// Reads a year field: exactly four ASCII digits; nil for anything else.
    public static func year(bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count == 4 else { return nil }
        var y = 0
        for b in bytes {
            guard b >= 48 && b <= 57 else { return nil }
            y = y * 10 + Int(b - 48)
        }
        return y
    }

    /// `year(bytes:)` of a string.
    public static func year(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { year(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Parses a value given its (already parsed) status. Returns nil for an empty value that its status allows.
    public static func value(_ raw: String, status: ObservationStatus) -> Result<Double?, Problem> {
        var text = raw
        return text.withUTF8 { value(bytes: UnsafeRawBufferPointer($0), status: status, raw: raw) }
    }

    /// Parses a value given as its UTF-8 bytes: the one rule for values. A plain whole number (digits, no
    /// leading zero, below `maximum`) is read from the bytes without making a string; anything else goes
    /// through every check with the text (`raw`, made from the bytes when not given).
    public static func value(bytes: UnsafeRawBufferPointer, status: ObservationStatus, raw given: String? = nil)
        -> Result<Double?, Problem>
    {
        if !bytes.isEmpty, !status.isMissing, let number = plainWholeNumber(bytes) { return .success(number) }
        let raw = given ?? String(decoding: bytes, as: UTF8.self)
        if raw.isEmpty {
            switch status {
            case .notCollected, .notApplicable, .includedElsewhere: return .success(nil)
            default:
                return .failure(
                    Problem(
                        ruleID: "value.empty",
                        message: "The value is empty. If the figure exists but was not collected, set status L; "
                            + "if it cannot exist, M; if it is counted in another category, K. A real zero is written 0.",
                        inStatus: false))
            }
        }
        if status.isMissing {
            return .failure(
                Problem(
                    ruleID: "value.with-missing-status",
                    message:
                        "The value \"\(raw)\" has status \(status.rawValue) (\(status.meaning)), which means there is no "
                        + "figure. Either remove the value or change the status (A for a normal value).",
                    inStatus: false))
        }
        if let problem = formatProblem(raw) { return .failure(problem) }
        let digitsOnly = raw.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 }
        guard let number = Double(raw), number.isFinite || digitsOnly else {
            return .failure(notANumber(raw))
        }
        if number > maximum || !number.isFinite {
            return .failure(
                Problem(
                    ruleID: "value.too-large",
                    message: "The value \(shown(raw)) is larger than any plausible count (more than \(Int(maximum))). "
                        + "Check for pasted digits or a wrong unit.",
                    inStatus: false))
        }
        if number != number.rounded(), status != .estimated {
            let parts = raw.split(separator: ".")
            let maybeGrouped = parts.count == 2 && parts[0].count <= 3 && parts[1].count == 3
            let hint =
                maybeGrouped
                ? " If the point groups thousands, write \(parts[0])\(parts[1]) without it."
                : ""
            return .failure(
                Problem(
                    ruleID: "value.not-integer",
                    message:
                        "The value \(raw) is not a whole number. Counts are whole numbers; if this is an estimate, "
                        + "set status E.\(hint)",
                    inStatus: false))
        }
        return .success(number)
    }

    /// Digits only, at most 11, no leading zero, not above `maximum`: a figure every check accepts as it
    /// is, whose plain text is its digits. Nil for anything else (then checked in full).
    static func plainWholeNumber(_ f: UnsafeRawBufferPointer) -> Double? {
        guard f.count <= 11, f.count == 1 || f[0] != UInt8(ascii: "0") else { return nil }
        var n: Int64 = 0
        for b in f {
            guard b >= 48 && b <= 57 else { return nil }
            n = n * 10 + Int64(b - 48)
        }
        return Double(n) <= maximum ? Double(n) : nil
    }

    /// Recognizes the common ways a number is written wrongly, before any conversion.
    private static func formatProblem(_ raw: String) -> Problem? {
        let bytes = Array(raw.utf8)
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        if bytes.first == UInt8(ascii: "-"), bytes.count > 1,
            bytes.dropFirst().allSatisfy({ isDigit($0) || $0 == 0x2E })
        {
            return Problem(
                ruleID: "value.negative",
                message: "The value \(raw) is negative. Counts cannot be below zero; check the figure.",
                inStatus: false)
        }
        // Everything must be digits with at most one decimal point from here on.
        var digitsOnly = true
        var points = 0
        for b in bytes {
            if b == 0x2E { points += 1 } else if !isDigit(b) { digitsOnly = false }
        }
        if digitsOnly && points <= 1 && isDigit(bytes.first ?? 0) && isDigit(bytes.last ?? 0) { return nil }

        // Groups of digits split by one separator kind: thousands separators or a decimal comma.
        let scalars = Array(raw.unicodeScalars)
        let separators: Set<Unicode.Scalar> = [",", ".", " ", "\u{00A0}", "\u{202F}", "'", "’"]
        let groups = raw.split(whereSeparator: { $0.unicodeScalars.allSatisfy { separators.contains($0) } })
        let allGroupsDigits = !groups.isEmpty && groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        let used = Set(scalars.filter { separators.contains($0) })
        if allGroupsDigits, used.count == 1, let sep = used.first {
            let tail = groups.dropFirst()
            let thousandsShape = groups[0].count <= 3 && tail.allSatisfy { $0.count == 3 }
            let plain = groups.joined()
            if sep == "," && groups.count == 2 && !thousandsShape {
                let fixed = "\(groups[0]).\(groups[1])"
                return Problem(
                    ruleID: "value.decimal-comma",
                    message: "The value \(raw) uses a decimal comma. Write decimals with a point: \(fixed) "
                        + "(and set status E if it is an estimate).",
                    inStatus: false)
            }
            if thousandsShape && (sep != "." || groups.count > 2) {
                let name =
                    sep == "," ? "commas" : sep == "." ? "points" : sep == "'" || sep == "’" ? "apostrophes" : "spaces"
                return Problem(
                    ruleID: "value.thousands-separator",
                    message: "The value \(raw) uses \(name) to group thousands. Write the number without "
                        + "separators: \(plain).",
                    inStatus: false)
            }
        }
        if allGroupsDigits, used == [",", "."] || used == [".", ","] {
            return Problem(
                ruleID: "value.thousands-separator",
                message: "The value \(raw) mixes points and commas. Write the number without thousands separators "
                    + "and with a decimal point, e.g. 1234.5.",
                inStatus: false)
        }
        if raw.first == " " || raw.last == " " || raw.first == "\t" {
            return Problem(
                ruleID: "value.not-a-number",
                message: "The value \"\(raw)\" has spaces around it. Remove them.", inStatus: false)
        }
        return notANumber(raw)
    }

    /// The value as written, cut short when it is too long to read in a message.
    static func shown(_ raw: String) -> String {
        raw.count <= 40 ? raw : String(raw.prefix(30)) + "… (\(raw.count) characters)"
    }

    private static func notANumber(_ raw: String) -> Problem {
        let placeholders = [":", "..", "...", "-", "–", "—", "n/a", "N/A", "NA", "na", "x", "X", "*", "nd", "s.d."]
        if placeholders.contains(raw) {
            return Problem(
                ruleID: "value.placeholder",
                message: "\"\(raw)\" is a placeholder, not a figure. Leave the value empty and set the status: "
                    + "L if the figure was not collected, M if it does not apply, K if it is counted elsewhere.",
                inStatus: false)
        }
        if raw.lowercased().contains("e"), Double(raw) != nil {
            return Problem(
                ruleID: "value.not-a-number",
                message: "The value \(raw) is in scientific notation. Write the full number in digits.",
                inStatus: false)
        }
        return Problem(
            ruleID: "value.not-a-number",
            message: "The value \"\(shown(raw))\" is not a number. Write digits only, e.g. 1234 or 12.5; "
                + "for a missing figure leave it empty and set status L, M or K.",
            inStatus: false)
    }
}
