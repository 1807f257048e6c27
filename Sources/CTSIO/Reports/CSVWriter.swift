/// Formats CSV fields safely for spreadsheets.
public enum CSVWriter {
    /// Quotes a field when needed and defuses text a spreadsheet would run as a formula
    /// (a leading `=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe).
    public static func field(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first),
            Double(value) == nil
        {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingQuotes() + "\""
        }
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
