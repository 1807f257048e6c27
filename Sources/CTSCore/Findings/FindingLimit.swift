/// Findings of one rule in one return beyond `FindingLimit.perRule`: counted, not kept.
public struct OmittedFindings: Sendable, Hashable, Codable {
    public var ruleID: String
    public var severity: Severity
    public var kind: FindingKind
    public var count: Int

    /// "… and 12,345 more value.not-a-number errors (only the first 1,000 of each check are listed)".
    public var summary: String {
        let what =
            kind == .skipped ? "skipped \(ruleID) checks" : "\(ruleID) \(severity.rawValue)\(count == 1 ? "" : "s")"
        return "… and \(count) more \(what) (only the first \(FindingLimit.perRule) of each check are listed)"
    }
}

/// Keeps at most `perRule` findings of each rule (and kind) of one return and counts the rest, so that a
/// return with a million bad rows costs the memory of a thousand findings, not a million, and every
/// count stays exact.
public struct FindingLimit: Sendable {
    /// The findings kept of one rule in one return.
    public static let perRule = 1_000

    private struct Key: Hashable {
        var ruleID: String
        var severity: Severity
        var kind: FindingKind
    }
    private var kept: [Key: Int] = [:]
    private var over: [Key: Int] = [:]

    public init() {}

    /// Whether `finding` is kept; if not, it is counted among the omitted. O(1).
    public mutating func admit(_ finding: borrowing Finding) -> Bool {
        let key = Key(ruleID: finding.ruleID, severity: finding.severity, kind: finding.kind)
        let count = kept[key, default: 0]
        if count < Self.perRule {
            kept[key] = count + 1
            return true
        }
        over[key, default: 0] += 1
        return false
    }

    /// The findings of `findings` that are kept, in order.
    public mutating func admit(_ findings: [Finding]) -> [Finding] {
        findings.filter { admit($0) }
    }

    /// Counts findings another limit left out (of the same return) as left out here too.
    public mutating func count(_ omitted: [OmittedFindings]) {
        for o in omitted { over[Key(ruleID: o.ruleID, severity: o.severity, kind: o.kind), default: 0] += o.count }
    }

    /// What was counted and not kept, by rule id, severity and kind.
    public var omitted: [OmittedFindings] {
        over.map {
            OmittedFindings(ruleID: $0.key.ruleID, severity: $0.key.severity, kind: $0.key.kind, count: $0.value)
        }
        .sorted { ($0.ruleID, $0.severity, $0.kind.rawValue) < ($1.ruleID, $1.severity, $1.kind.rawValue) }
    }
}
