/// Formats CSV fields safely for spreadsheets.
public enum CSVWriter {
    /// Quotes a field when needed and defuses text a spreadsheet would run as a formula
    /// (a leading `=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe).
    public static func field(_ text: String) -> String {
        var bytes: [UInt8] = []
        append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }

    /// Appends `text` as one field (as `field` gives it) to `bytes`, without making a string: for files
    /// written row by row. O(length of text).
    public static func append(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            // Most fields are plain: one pass over the bytes decides.
            var needsQuotes = false
            for b in utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
                needsQuotes = true
                break
            }
            let formulaLike =
                switch utf8.first {
                case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: true
                default: false
                }
            if !needsQuotes && !formulaLike {
                bytes.append(contentsOf: utf8)
                return
            }
            if needsQuotes { bytes.append(0x22) }
            if formulaLike, Double(String(decoding: utf8, as: UTF8.self)) == nil { bytes.append(0x27) }
            for b in utf8 {
                if b == 0x22 && needsQuotes { bytes.append(0x22) }
                bytes.append(b)
            }
            if needsQuotes { bytes.append(0x22) }
        }
    }
}
