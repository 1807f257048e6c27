/// Reads an ICCS code as spreadsheets leave it: leading zeros dropped (`101`), stored as a float
/// (`806.0`), padded with spaces, or sitting in the wrong level column. A code is repaired only when
/// exactly one ICCS code fits; otherwise the answer says why it cannot be.
public enum ICCSRepair {
    public enum Outcome: Sendable, Equatable {
        /// Nothing written.
        case blank
        /// The text is the code.
        case exact(ICCSCode)
        /// The text could only mean this code; report it as a warning.
        case repaired(ICCSCode, note: String)
        /// No code or several codes fit; the text says which and why.
        case rejected(String)
    }

    /// Reads `raw` as a code of `level` (1–4, when the column says) in `section` (when a level-1 column
    /// says).
    public static func read(_ raw: String, level: Int? = nil, section: String? = nil, in iccs: ICCSClassification)
        -> Outcome
    {
        var text = raw.trimmingSpaces()
        if text.hasSuffix(".0") { text.removeLast(2) }
        if text.isEmpty { return .blank }
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return .rejected("\"\(raw)\" is not an ICCS code (codes are 2, 4, 5 or 6 digits)")
        }
        let lengths = level.map { [[2, 4, 5, 6][$0 - 1]] } ?? [2, 4, 5, 6]
        let padded = lengths.filter { $0 >= text.count }
            .compactMap { ICCSCode(String(repeating: "0", count: $0 - text.count) + text) }
            .filter(iccs.contains)
        let inSection = padded.filter { section == nil || $0.section == section }
        let asWritten = ICCSCode(text).flatMap { iccs.contains($0) ? $0 : nil }
        if inSection.count == 1 {
            let code = inSection[0]
            if code.rawValue == text { return .exact(code) }
            return .repaired(
                code, note: "\"\(raw)\" read as \(code) (\(iccs.title(of: code) ?? "")): leading zeros restored")
        }
        if inSection.count > 1 {
            let list = inSection.map { "\($0) (\(iccs.title(of: $0) ?? ""))" }.joined(separator: " or ")
            return .rejected("\"\(raw)\" could be \(list); write the code with its leading zeros")
        }
        if let code = padded.first, let section {
            return .rejected(
                "\"\(raw)\" reads as \(code) (\(iccs.title(of: code) ?? "")), which is in section \(code.section), "
                    + "not \(section); the code may have lost digits or sit in the wrong column")
        }
        if let level {
            // A code of another level, as written or with its zeros restored, sits in this column.
            let elsewhere =
                [asWritten].compactMap { $0 }
                + [2, 4, 5, 6].filter { $0 > text.count }
                .compactMap { ICCSCode(String(repeating: "0", count: $0 - text.count) + text) }
                .filter { iccs.contains($0) && (section == nil || $0.section == section) }
            if let code = elsewhere.first, code.level != level {
                return .rejected(
                    "\(code) (\(iccs.title(of: code) ?? "")) is a level-\(code.level) code in a level-\(level) "
                        + "column; move it to its column")
            }
        }
        return .rejected("\"\(raw)\" is not a code of ICCS v1.0")
    }
}
