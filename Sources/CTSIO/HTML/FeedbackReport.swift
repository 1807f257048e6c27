import CTSCore

/// The feedback a data officer sends back to a country: a self-contained HTML page with the summary,
/// every finding by table, the figures laid out like the questionnaire with the offending cells
/// highlighted, a sparkline of each variable's series (the stored years and the return's new figures),
/// the revisions of stored figures in a section of their own, and the ICCS code each figure is
/// normalized to.
///
/// Written piece by piece (`write`), in time linear in the cells and findings: each is grouped once by
/// table and variable, never searched for.
public struct FeedbackReport: Sendable {
    public var report: ReturnReport
    public var questionnaire: Questionnaire
    /// The cells the grids show: the totals (each table's grand-total breakdown) of the return's first
    /// country (`FeedbackReport.gridCell` tells which); any others are passed over.
    public var cells: [ReturnCell]
    /// The reporter's earlier figures (from the store), by cell key, for the sparklines.
    public var history: [CellKey: Double]
    public var countryName: String
    public var iccs: ICCSClassification
    /// The country's correspondence table, when given: labels and ICCS codes of national categories.
    public var correspondence: Correspondence?
    /// Figures the return gives twice, in the standard table and through national categories.
    public var overlaps: [Overlap] = []

    /// A questionnaire variable's figure of a year that national categories of the same return map to as
    /// well: the standard figure is the one aggregated (docs/STORE.md).
    public struct Overlap: Sendable, Equatable {
        public var series: String
        public var year: Int
        public var standard: String
        public var national: Double
        public var codes: [String]

        public init(series: String, year: Int, standard: String, national: Double, codes: [String]) {
            self.series = series
            self.year = year
            self.standard = standard
            self.national = national
            self.codes = codes
        }
    }

    public init(
        report: ReturnReport, questionnaire: Questionnaire, cells: [ReturnCell], history: [CellKey: Double],
        countryName: String, iccs: ICCSClassification, correspondence: Correspondence? = nil
    ) {
        self.correspondence = correspondence
        self.report = report
        self.questionnaire = questionnaire
        self.cells = cells
        self.history = history
        self.countryName = countryName
        self.iccs = iccs
    }

    /// Whether `cell` is one the grids show: a total of `country` (the return's first).
    public static func gridCell(_ cell: borrowing ReturnCell, country: String, totals: [String: [String]]) -> Bool {
        cell.key.country == country && totals[cell.key.table] == cell.key.breakdown
    }

    /// Each table's grand-total breakdown, by table id (for `gridCell`).
    public static func totals(of questionnaire: Questionnaire) -> [String: [String]] {
        Dictionary(questionnaire.tables.map { ($0.id, questionnaire.totalBreakdown(of: $0)) }) { a, _ in a }
    }

    /// The whole page as one string (for tests; `write` hands it over in pieces).
    public func html() -> String {
        var out = ""
        write { out += $0 }
        return out
    }

    /// Hands the page to `put` in pieces, a table at a time.
    public func write(_ put: (String) -> Void) {
        let e = report.count(.error)
        let w = report.count(.warning)
        let verdict =
            e > 0
            ? "b-error\">Not accepted: \(e) error\(e == 1 ? "" : "s")"
            : w > 0 ? "b-warning\">Accepted, with \(w) warning\(w == 1 ? "" : "s") to review" : "b-ok\">Accepted"
        let years =
            report.years.first.map { first in
                first == report.years.last! ? "\(first)" : "\(first)–\(report.years.last!)"
            } ?? ""
        put(
            """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Feedback: \(HTML.escape(report.file))</title>
            <style>\(HTML.style)\(Self.style)</style></head><body>
            <h1>Feedback on the return \(HTML.escape(basename(report.file)))</h1>
            <p class="meta">\(HTML.escape(countryName)) · \(years) · questionnaire \(HTML.escape(questionnaire.reference)) · \(report.cells) cells in \(report.rows) rows</p>
            <p><span class="badge \(verdict)</span><span class="badge b-error">\(e) errors</span><span class="badge b-warning">\(w) warnings</span><span class="badge b-skipped">\(report.skipped) checks skipped</span></p>
            <p>Cells with an error are outlined in red, cells with a warning in amber; hover over a cell for the message. <span class="mark">◆</span> marks a figure far outside the country's stored series. In the sparklines, stored years are blue, this return's figures orange, and outliers red. Each finding below gives the line and column in the file.</p>

            """)
        var cellsByTable: [String: [ReturnCell]] = [:]
        for cell in cells { cellsByTable[cell.key.table, default: []].append(cell) }
        var findingsByTable: [String: [Finding]] = [:]
        var fileLevel: [Finding] = []
        for f in report.findings {
            if let table = f.table { findingsByTable[table, default: []].append(f) } else { fileLevel.append(f) }
        }
        if !fileLevel.isEmpty || !report.omitted.isEmpty {
            put("<h2>The file</h2>\n" + list(fileLevel))
            if !report.omitted.isEmpty {
                put(
                    "<ul class=\"findings\">\n"
                        + report.omitted.map { "<li>\(HTML.escape($0.summary))</li>\n" }.joined() + "</ul>\n")
            }
        }
        put(revisionSection())
        put(overlapSection())
        for table in questionnaire.tables {
            let tableCells = cellsByTable[table.id] ?? []
            let findings = findingsByTable[table.id] ?? []
            guard !tableCells.isEmpty || !findings.isEmpty else { continue }
            put("<h2>\(HTML.escape(table.title)) <span class=\"rule\">\(HTML.escape(table.id))</span></h2>\n")
            grid(table, tableCells, findings, put)
            let shown = findings.filter { $0.kind == .failed }
            if !shown.isEmpty { put(list(shown)) }
            let skipped = findings.count { $0.kind == .skipped }
            if skipped > 0 {
                put(
                    "<p class=\"meta\">\(skipped) check\(skipped == 1 ? " was" : "s were") skipped in this table because a figure they need is missing.</p>\n"
                )
            }
        }
        put(
            "<footer>Made by cts from \(HTML.escape(report.file)). Figures are shown as written in the return; "
                + "superscripts are observation statuses (E estimated, P provisional, B break in series, L/M missing, K elsewhere).</footer>\n"
                + "</body></html>\n")
    }

    private func basename(_ path: String) -> String { String(path.split(separator: "/").last ?? Substring(path)) }

    /// The table's totals: a row per variable, a column per year, a sparkline of the series.
    private func grid(_ table: Table, _ tableCells: [ReturnCell], _ findings: [Finding], _ put: (String) -> Void) {
        let years = report.years
        guard !years.isEmpty else { return }
        let country = report.countries.first ?? ""
        let total = questionnaire.totalBreakdown(of: table)
        var byKey: [CellKey: ReturnCell] = [:]
        for c in tableCells { byKey[c.key] = c }
        var worst: [CellKey: Finding] = [:]
        // Variables with a finding on a breakdown other than the total: listed even without a total.
        var breakdownFindings = Set<String>()
        for f in findings {
            if let cell = f.cell, cell.breakdown != total { breakdownFindings.insert(cell.variable) }
        }
        var outliers = Set<CellKey>()
        for f in findings where f.kind != .skipped {
            guard let key = f.cell else { continue }
            if f.ruleID == Self.outlierRule { outliers.insert(key) }
            if let current = worst[key], current.severity <= f.severity { continue }
            worst[key] = f
        }
        let variables: [(id: String, label: String, code: String)] =
            table.nationalCategories
            ? Array(Set(tableCells.map(\.key.variable))).sorted().map { ($0, nationalLabel($0), nationalMapping($0)) }
            : table.variables.map { v in
                (v.id, v.label, v.iccs.map { "\($0.rawValue) \(iccs.title(of: $0) ?? "")" } ?? "")
            }
        let historyYears = Array(Set(history.keys.filter { $0.table == table.id }.map(\.year) + years)).sorted()
        var out = "<table><thead><tr><th class=\"label\">Variable</th><th class=\"label\">ICCS</th>"
        out += years.map { "<th>\($0)</th>" }.joined()
        out +=
            "<th>Series \(historyYears.first.map(String.init) ?? "")–\(historyYears.last.map(String.init) ?? "")</th></tr></thead><tbody>\n"
        for v in variables {
            let rowCells = years.map { year in
                byKey[CellKey(country: country, year: year, table: table.id, variable: v.id, breakdown: total)]
            }
            guard rowCells.contains(where: { $0 != nil }) || breakdownFindings.contains(v.id) else { continue }
            out += "<tr><td class=\"label\">\(HTML.escape(v.label))</td><td class=\"iccs\">\(HTML.escape(v.code))</td>"
            for (year, cell) in zip(years, rowCells) {
                let key = CellKey(country: country, year: year, table: table.id, variable: v.id, breakdown: total)
                out += cellHTML(cell, finding: worst[key], outlier: outliers.contains(key))
            }
            var kinds: [Int: HTML.Point] = [:]
            let series = historyYears.enumerated().map { i, year -> Double? in
                let key = CellKey(country: country, year: year, table: table.id, variable: v.id, breakdown: total)
                if let new = byKey[key]?.value {
                    kinds[i] = outliers.contains(key) ? .outlier : .new
                    return new
                }
                return history[key]
            }
            out += "<td>\(HTML.sparkline(series, kinds: kinds))</td></tr>\n"
            if out.utf8.count >= 1 << 16 {
                put(out)
                out = ""
            }
        }
        put(out + "</tbody></table>\n")
    }

    private func cellHTML(_ cell: ReturnCell?, finding: Finding?, outlier: Bool) -> String {
        let cls = finding.map { " class=\"\($0.severity.rawValue)\" title=\"\(HTML.escape($0.message))\"" } ?? ""
        guard let cell else { return "<td\(cls.isEmpty ? " class=\"missing\"" : cls)>\(cls.isEmpty ? "–" : "!")</td>" }
        let status = cell.status == .normal ? "" : "<sup>\(cell.status.rawValue)</sup>"
        let value = cell.isWithdrawal ? "withdrawn" : cell.rawValue.isEmpty ? "" : HTML.escape(cell.rawValue)
        let mark = outlier ? "<span class=\"mark\">◆</span>" : ""
        return "<td\(cls)>\(value)\(status)\(mark)</td>"
    }

    /// What the feedback report adds to the shared stylesheet: outlier marks, the revisions table.
    static let style = ".mark{color:#c62828;font-size:.75rem;margin-left:.15rem}.up{color:#8a5a00}.rev td{white-space:nowrap}\n"

    /// The figures given both ways, each with both values: the standard one is aggregated.
    private func overlapSection() -> String {
        guard !overlaps.isEmpty else { return "" }
        var out =
            "<h2>Standard table and national categories</h2>\n<p class=\"meta\">These figures are given in the "
            + "standard table and, through the correspondence table, by national categories. The regional tables "
            + "use the standard figure; the national categories are kept as received.</p>\n"
            + "<table><thead><tr><th class=\"label\">Variable</th><th>Year</th><th>Standard table</th>"
            + "<th>National categories</th><th class=\"label\">National codes</th></tr></thead><tbody>\n"
        for o in overlaps {
            out +=
                "<tr><td class=\"label\">\(HTML.escape(o.series))</td><td>\(o.year)</td><td>\(HTML.escape(o.standard))</td>"
                + "<td>\(TrendTable.fixed(o.national, o.national.rounded() == o.national ? 0 : 2))</td>"
                + "<td class=\"label\">\(HTML.escape(o.codes.joined(separator: ", ")))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// A national category's label: its code and, from the correspondence table, its name.
    private func nationalLabel(_ code: String) -> String {
        guard let entry = correspondence?.entries[code], !entry.label.isEmpty else { return "national code \(code)" }
        return "\(code) \(entry.label)"
    }

    /// What the correspondence table does with a national category: its ICCS code(s) with shares.
    private func nationalMapping(_ code: String) -> String {
        guard let correspondence else { return "" }
        guard let entry = correspondence.entries[code] else {
            return correspondence.skipped[code] != nil ? "not mapped: its row was skipped" : "not in the table"
        }
        switch entry.mapping {
        case .exact(let c): return "\(c.rawValue) \(iccs.title(of: c) ?? "")"
        case .partial(let shares):
            return shares.map { "\($0.code.rawValue) ×\(TrendTable.fixed($0.share, 2))" }.joined(separator: ", ")
        case .excluded(let why): return "excluded (\(why))"
        }
    }

    /// The rule of a figure far outside its stored series (`Validator.historyChecks`).
    static let outlierRule = "history.outlier"

    /// Every cell that replaces a stored figure: the old and new figure, the change and the return it
    /// replaces, the warnings first; then what the revisions together suggest (a break in series).
    private func revisionSection() -> String {
        let revisions = report.findings.filter { $0.revision != nil }
        let notes = report.findings.filter { $0.kind == .revision && $0.revision == nil }
        let omitted = report.omitted.filter { $0.kind == .revision }
        guard !revisions.isEmpty || !notes.isEmpty || !omitted.isEmpty else { return "" }
        let warned = revisions.count { $0.severity == .warning }
        var out =
            "<h2>Revisions of stored figures</h2>\n<p class=\"meta\">\(report.revisions) figure\(report.revisions == 1 ? "" : "s") "
            + "this return sends replace\(report.revisions == 1 ? "s" : "") one already stored; \(warned) move\(warned == 1 ? "s" : "") "
            + "a figure by more than \(Int((questionnaire.history.revisionThreshold * 100).rounded()))% or take\(warned == 1 ? "s" : "") it away "
            + "and should be confirmed.</p>\n"
        out +=
            "<table class=\"rev\"><thead><tr><th class=\"label\">Cell</th><th class=\"label\">Line</th><th>Stored</th>"
            + "<th>New</th><th>Change</th><th class=\"label\">Replaces</th><th class=\"label\">Check</th></tr></thead><tbody>\n"
        let ordered = revisions.filter { $0.severity != .info } + revisions.filter { $0.severity == .info }
        for f in ordered {
            let r = f.revision!
            let cell = f.cell.map { $0.describe(dimensions: questionnaire.dimensionIDs) } ?? ""
            let change = r.changeText ?? ""
            let badge =
                f.severity == .info
                ? "" : "<span class=\"badge b-\(f.severity.rawValue)\" title=\"\(HTML.escape(f.message))\">\(f.severity.rawValue)</span>"
            out +=
                "<tr><td class=\"label\">\(HTML.escape(cell))</td><td class=\"label\">\(HTML.escape(f.location?.cellReference ?? f.location.map { String($0.line) } ?? ""))</td>"
                + "<td>\(figure(r.old, r.oldStatus))</td><td>\(figure(r.new, r.newStatus))</td>"
                + "<td\(f.severity == .info ? "" : " class=\"up\"")>\(change)</td><td class=\"label\">\(HTML.escape(r.replaces))</td>"
                + "<td class=\"label\">\(badge)<span class=\"rule\">\(HTML.escape(f.ruleID))</span></td></tr>\n"
        }
        out += "</tbody></table>\n"
        if !notes.isEmpty { out += list(notes) }
        if !omitted.isEmpty {
            out += "<ul class=\"findings\">\n" + omitted.map { "<li>\(HTML.escape($0.summary))</li>\n" }.joined() + "</ul>\n"
        }
        return out
    }

    private func figure(_ raw: String, _ status: String) -> String {
        (raw.isEmpty ? "–" : HTML.escape(raw)) + (status.isEmpty || status == "A" ? "" : "<sup>\(HTML.escape(status))</sup>")
    }

    private func list(_ findings: [Finding]) -> String {
        var out = "<ul class=\"findings\">\n"
        for f in findings {
            let badge = f.kind == .skipped ? "b-skipped\">skipped" : "b-\(f.severity.rawValue)\">\(f.severity.rawValue)"
            let location =
                f.location.map {
                    ($0.cellReference ?? "line \($0.line), column \($0.column)") + ($0.columnName.map { " (\($0))" } ?? "")
                }
                ?? ""
            let cell = f.cell.map { " · " + $0.describe(dimensions: questionnaire.dimensionIDs) } ?? ""
            out +=
                "<li><span class=\"badge \(badge)</span><span class=\"loc\">\(HTML.escape(location))\(HTML.escape(cell))</span> "
                + "<span class=\"rule\">\(HTML.escape(f.ruleID))</span><br>\(HTML.escape(f.message))</li>\n"
        }
        return out + "</ul>\n"
    }
}
