import CTSCore

/// Renders a return's findings for a person at a terminal: grouped by table, each finding with its
/// `file:line:column`, the cell, the rule and the message, then a one-line summary.
public struct TerminalReport: Sendable {
    public var color: Bool
    public var showSkipped: Bool
    public var dimensions: [String]
    /// The questionnaire's tables, in order: findings are grouped by them.
    public var tables: [Table]

    /// At most this many findings of one rule are printed per table; the rest are counted in one line
    /// (a return with a million duplicate rows printed a million findings). `--report` lists more (up to
    /// `FindingLimit.perRule` of each rule).
    public static let perRule = 25

    public init(color: Bool, showSkipped: Bool, dimensions: [String], tables: [Table]) {
        self.color = color
        self.showSkipped = showSkipped
        self.dimensions = dimensions
        self.tables = tables
    }

    private func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    private func label(_ f: Finding) -> String {
        if f.kind == .skipped { return paint("skipped", "2") }
        switch f.severity {
        case .error: return paint("error", "1;31")
        case .warning: return paint("warning", "1;33")
        case .info: return paint("info", "1;36")
        }
    }

    public func render(_ report: ReturnReport) -> String {
        var out = paint(TerminalText.visible(report.file), "1")
        var context: [String] = []
        if !report.countries.isEmpty { context.append(TerminalText.visible(report.countries.joined(separator: ", "))) }
        if let first = report.years.first, let last = report.years.last {
            context.append(first == last ? "\(first)" : "\(first)–\(last)")
        }
        if let q = report.questionnaire { context.append("questionnaire \(q)") }
        if !context.isEmpty { out += "  (" + context.joined(separator: ", ") + ")" }
        out += "\n"
        let shown = report.findings.filter { (showSkipped || $0.kind != .skipped) && $0.kind != .revision }
        var groups: [String: [Finding]] = [:]
        for f in shown { groups[f.table ?? "", default: []].append(f) }
        let order = groups.keys.sorted { a, b in
            // File-level findings first, then tables in questionnaire order.
            let ia = a.isEmpty ? -1 : (tables.firstIndex { $0.id == a } ?? Int.max)
            let ib = b.isEmpty ? -1 : (tables.firstIndex { $0.id == b } ?? Int.max)
            return (ia, a) < (ib, b)
        }
        for table in order {
            let heading =
                table.isEmpty
                ? "File and header" : "Table \(table)" + (tables.first { $0.id == table }.map { ": \($0.title)" } ?? "")
            out += "\n  " + paint(heading, "1") + "\n"
            var printed: [String: Int] = [:]
            var held: [String: Int] = [:]
            for f in groups[table]! {
                printed[f.ruleID, default: 0] += 1
                guard printed[f.ruleID]! <= Self.perRule else {
                    held[f.ruleID, default: 0] += 1
                    continue
                }
                let place = f.location.map { "\($0)" } ?? report.file
                out += "    \(place)  \(label(f))  \(paint(f.ruleID, "2"))\n"
                // What came from the return is shown, never obeyed: no escape sequence reaches the terminal.
                if let cell = f.cell {
                    out += "      " + TerminalText.visible(cell.describe(dimensions: dimensions)) + "\n"
                }
                out += "      " + TerminalText.visible(f.message) + "\n"
                if !f.related.isEmpty {
                    out +=
                        "      "
                        + paint(
                            "see also: "
                                + f.related.map {
                                    // A figure from the store names the return it came from.
                                    $0.file == (f.location?.file ?? report.file)
                                        ? TerminalText.visible($0.place) : TerminalText.visible("\($0.file) \($0.place)")
                                }.joined(separator: ", "), "2") + "\n"
                }
            }
            for (rule, count) in held.sorted(by: { $0.key < $1.key }) {
                out +=
                    "    " + paint("… and \(count) more \(rule) finding\(count == 1 ? "" : "s") in this table", "2")
                    + " (--report FILE lists more)\n"
            }
        }
        out += revisions(report)
        let omitted = report.omitted.filter { showSkipped || $0.kind != .skipped }
        if !omitted.isEmpty {
            out += "\n"
            for o in omitted { out += "  " + paint(TerminalText.visible(o.summary), "2") + "\n" }
        }
        let hidden =
            report.skipped - shown.filter { $0.kind == .skipped }.count
            - omitted.reduce(0) { $0 + ($1.kind == .skipped ? $1.count : 0) }
        if hidden > 0 {
            out +=
                "\n  \(hidden) check\(hidden == 1 ? " was" : "s were") skipped because a figure they need is "
                + "missing; --show-skipped or --report lists them.\n"
        }
        out += "\n" + summary(report) + "\n"
        return out
    }

    /// The section of revisions: each cell that replaces a stored figure, old and new, then what the
    /// revisions suggest (a break in series). At most `perRule` of each rule.
    private func revisions(_ report: ReturnReport) -> String {
        let revisions = report.findings.filter { $0.kind == .revision }
        guard !revisions.isEmpty else { return "" }
        var out = "\n  " + paint("Revisions of stored figures", "1") + "\n"
        var printed: [String: Int] = [:]
        for f in revisions {
            printed[f.ruleID, default: 0] += 1
            guard printed[f.ruleID]! <= Self.perRule else { continue }
            let place = f.location.map { "\($0)" } ?? report.file
            out += "    \(place)  \(label(f))  \(paint(f.ruleID, "2"))\n"
            if let cell = f.cell {
                out += "      " + TerminalText.visible(cell.describe(dimensions: dimensions)) + "\n"
            }
            // A change within the threshold is one line; a warning says why it is one.
            if let r = f.revision, f.severity == .info {
                out += "      " + TerminalText.visible(Self.change(r)) + "\n"
            } else {
                out += "      " + TerminalText.visible(f.message) + "\n"
            }
        }
        for (rule, count) in printed.sorted(by: { $0.key < $1.key }) where count > Self.perRule {
            out += "    " + paint("… and \(count - Self.perRule) more \(rule)", "2") + " (--report FILE lists more)\n"
        }
        return out
    }

    /// `136011 → 176814 (+30.0%), replacing CHE-2019.csv (received 2026-03-02)`.
    static func change(_ r: Revision) -> String {
        func shown(_ value: String, _ status: String) -> String {
            (value.isEmpty ? "no figure" : value) + (status == "A" || status.isEmpty ? "" : " (\(status))")
        }
        let change = r.changeText.map { " (\($0))" } ?? ""
        return "\(shown(r.old, r.oldStatus)) → \(shown(r.new, r.newStatus))\(change), replacing \(r.replaces)"
    }

    public func summary(_ report: ReturnReport) -> String {
        let e = report.count(.error)
        let w = report.count(.warning)
        let i = report.count(.info)
        var parts = ["\(e) error\(e == 1 ? "" : "s")", "\(w) warning\(w == 1 ? "" : "s")"]
        if i > 0 { parts.append("\(i) info") }
        parts.append("\(report.skipped) skipped")
        let r = report.revisions
        if r > 0 { parts.append("\(r) stored figure\(r == 1 ? "" : "s") revised") }
        let verdict =
            e > 0 ? paint("FAIL", "1;31") : w > 0 ? paint("PASS with warnings", "1;33") : paint("PASS", "1;32")
        return "\(verdict) \(report.file): " + parts.joined(separator: ", ")
            + " (\(report.cells) cells in \(report.rows) rows)"
    }
}
