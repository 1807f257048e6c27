/// How serious a finding is. Errors block a return; warnings ask for a second look; info is context.
public enum Severity: String, Sendable, Comparable, CaseIterable, Codable {
    case error
    case warning
    case info

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
