/// Formats numbers for messages: whole numbers without a decimal part, others with up to two decimals.
public enum RuleFormatting {
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(Double((value * 100).rounded() / 100))
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
