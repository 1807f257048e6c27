/// Formats CSV fields safely for spreadsheets.
public enum CSVWriter {
    /// Quotes a field when needed and defuses text a spreadsheet would run as a formula
    /// (a leading `=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe).
    public static func field(_ text: String) -> String {
        // Most fields are plain: one pass over the bytes decides.
        var needsQuotes = false
        for b in text.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        let formulaLike =
            switch text.utf8.first {
            case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: true
            default: false
            }
        if !needsQuotes && !formulaLike { return text }
        var value = text
        if formulaLike, Double(value) == nil { value = "'" + value }
        if needsQuotes { return "\"" + value.replacingQuotes() + "\"" }
        return value
    }

    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for c in self {
            if c == "\"" { out += "\"\"" } else { out.append(c) }
        }
        return out
    }
}
