/// Text from a return or the store made safe to print on a terminal: control characters (escape
/// sequences, NUL, carriage returns, C1 controls) are shown as `\u{1B}`-style escapes instead of being
/// sent to the terminal, where they could move the cursor, recolour or hide what follows.
public enum TerminalText {
    /// `text` with every control character other than tab written out as `\u{XX}`.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\t") || (0x7F...0x9F).contains(s.value)
    }
}
