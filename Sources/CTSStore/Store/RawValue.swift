/// The one rule for when a cell's figure as written (`raw_value`) is left out of its row: when it is the
/// plain digits of the figure (`3586` for 3586; empty for no figure). The `cell` view puts it back with
/// `printf('%d', value)`, which gives the same text.
enum RawValue {
    /// The text a left-out raw value stands for: "" without a figure, the digits of a whole figure
    /// (non-negative, below 10^15); nil when a figure has no such text (it is then always stored).
    static func implied(by value: Double?) -> String? {
        guard let value else { return "" }
        return wholeNumber(value).map { String($0) }
    }

    /// Whether `raw` can be left out of a row whose figure is `value`.
    static func isImplied(_ raw: String, by value: Double?) -> Bool { implied(by: value) == raw }

    /// The raw value as stored: nil when implied.
    static func stored(_ raw: String, value: Double?) -> String? { isImplied(raw, by: value) ? nil : raw }

    /// The raw value of a row: `stored`, or the text it stands for.
    static func read(stored: String?, value: Double?) -> String { stored ?? implied(by: value) ?? "" }

    private static func wholeNumber(_ value: Double) -> Int64? {
        guard value == value.rounded(.towardZero), value.sign == .plus, value < 1e15 else { return nil }
        return Int64(value)
    }
}
