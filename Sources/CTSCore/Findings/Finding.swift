import Foundation

/// Whether a check ran and failed, or could not run at all.
public enum FindingKind: String, Sendable, Codable {
    /// The check ran and the data broke it.
    case failed
    /// The check could not run (a figure it needs is missing); the message says why.
    case skipped
    /// The cell replaces a figure the store holds (`Finding.revision` says which, and by how much).
    case revision
}

/// What a revision changes: the stored figure a cell replaces and the new one.
public struct Revision: Sendable, Hashable, Codable {
    /// The stored figure as its return wrote it (empty for none), and its status code.
    public var old: String
    public var oldStatus: String
    /// The new figure as this return writes it (empty for none or a withdrawal), and its status code.
    public var new: String
    public var newStatus: String
    /// (new − old) / old, when both are figures and the old one is not 0.
    public var change: Double?
    /// The stored return that sent the old figure: `CHE-2019.csv (received 2026-03-02)`.
    public var replaces: String

    /// The change as people read it: `+30.0%`; nil when there is none.
    public var changeText: String? { Self.percent(change) }

    /// A share as a percentage with one decimal, `+30.0%` or `-4.2%` (unsigned: `10.0%`); nil for nil.
    public static func percent(_ share: Double?, signed: Bool = true) -> String? {
        guard let share else { return nil }
        let text = String(format: "%.1f%%", share * 100)
        return signed && share >= 0 ? "+" + text : text
    }

    public init(old: String, oldStatus: String, new: String, newStatus: String, change: Double?, replaces: String) {
        self.old = old
        self.oldStatus = oldStatus
        self.new = new
        self.newStatus = newStatus
        self.change = change
        self.replaces = replaces
    }
}

/// One result of validating a return: a problem in a cell, or a check that had to be skipped.
public struct Finding: Sendable, Hashable, Codable {
    /// Stable identifier of the check, e.g. `value.thousands-separator` or a questionnaire rule id.
    public var ruleID: String
    public var severity: Severity
    public var kind: FindingKind
    /// Plain-language text for a national focal point.
    public var message: String
    /// The cell (or header field) the finding points at.
    public var location: SourceLocation?
    /// The key of the cell, when the finding concerns a cell.
    public var cell: CellKey?
    /// The table the finding belongs to, for grouping; nil for file-level findings.
    public var table: String?
    /// Other cells involved (e.g. the parts of a total), as locations in file order.
    public var related: [SourceLocation]
    /// For a revision (`kind == .revision`): the stored figure replaced and the new one.
    public var revision: Revision?

    public init(
        ruleID: String, severity: Severity, kind: FindingKind = .failed, message: String,
        location: SourceLocation? = nil, cell: CellKey? = nil, table: String? = nil,
        related: [SourceLocation] = [], revision: Revision? = nil
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.kind = kind
        self.message = message
        self.location = location
        self.cell = cell
        self.table = table ?? cell?.table
        self.related = related.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
        self.revision = revision
    }
}

extension Finding {
    /// Where a finding points, as `reportOrder` compares it first.
    public struct Place {
        var file: String?
        var line: Int?
        var column: Int?
    }

    public var place: Place { Place(file: location?.file, line: location?.line, column: location?.column) }

    /// Orders findings by file position, then rule, so reports are stable.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        reportOrder(a.place, b.place) ?? samePlaceOrder(a, b)
    }

    /// Whether a finding at `a` comes before one at `b`; nil when the places are the same.
    public static func reportOrder(_ a: Place, _ b: Place) -> Bool? {
        if a.file != b.file { return (a.file ?? "") < (b.file ?? "") }
        if a.line != b.line { return (a.line ?? 0) < (b.line ?? 0) }
        if a.column != b.column { return (a.column ?? 0) < (b.column ?? 0) }
        return nil
    }

    /// The order of two findings at the same place.
    public static func samePlaceOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        if a.message != b.message { return a.message < b.message }
        // The same message at the same place (a required figure missing in two countries): by cell.
        return (a.cell?.description ?? "") < (b.cell?.description ?? "")
    }
}
