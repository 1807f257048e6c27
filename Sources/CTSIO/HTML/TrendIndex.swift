import CTSCore

/// The HTML index of an aggregation run: links to every table, chart and feedback report, and a heat map
/// of population coverage by group and year for each charted series.
public struct TrendIndex: Sendable {
    public struct Chart: Sendable {
        public var file: String
        public var title: String
        public var rows: [AggregateRow]
        public init(file: String, title: String, rows: [AggregateRow]) {
            self.file = file
            self.title = title
            self.rows = rows
        }
    }

    public struct ReportLink: Sendable {
        public var file: String
        public var name: String
        public var errors: Int
        public var warnings: Int
        public init(file: String, name: String, errors: Int, warnings: Int) {
            self.file = file
            self.name = name
            self.errors = errors
            self.warnings = warnings
        }
    }

    public var files: [String]
    public var charts: [Chart]
    public var reports: [ReportLink]
    public var facts: [(String, String)]
    public var threshold: Double

    public init(files: [String], charts: [Chart], reports: [ReportLink], facts: [(String, String)], threshold: Double) {
        self.files = files
        self.charts = charts
        self.reports = reports
        self.facts = facts
        self.threshold = threshold
    }

    public func html() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>cts: regional trends</title><style>\(HTML.style)</style></head><body>
            <h1>Regional crime trends</h1>
            <table style="width:auto">\(facts.map { "<tr><th class=\"label\">\(HTML.escape($0.0))</th><td class=\"label\">\(HTML.escape($0.1))</td></tr>" }.joined())</table>
            <h2>Tables</h2><ul>\(files.filter { $0.hasSuffix(".csv") || $0.hasSuffix(".json") }.map { "<li><a href=\"\(HTML.escape($0))\">\(HTML.escape($0))</a></li>" }.joined())</ul>

            """
        out +=
            "<h2>Charts and coverage</h2>\n<p>Coverage: percent of each group's population living in countries that reported. "
            + "Group-years below \(TrendTable.fixed(threshold * 100, 0))% are not published (shown with a dashed border).</p>\n"
        for chart in charts {
            out += "<h3>\(HTML.escape(chart.title))</h3>\n"
            out +=
                "<p><a href=\"\(HTML.escape(chart.file))\"><img src=\"\(HTML.escape(chart.file))\" alt=\"\(HTML.escape(chart.title))\" width=\"570\"></a></p>\n"
            out += heatMap(chart.rows)
        }
        if !reports.isEmpty {
            out += "<h2>Feedback reports</h2><ul style=\"columns:4;list-style:none;padding:0\">"
            for r in reports {
                let badge =
                    r.errors > 0
                    ? " <span class=\"badge b-error\">\(r.errors) errors</span>"
                    : r.warnings > 0
                        ? " <span class=\"badge b-warning\">\(r.warnings)</span>"
                        : " <span class=\"badge b-ok\">ok</span>"
                out += "<li><a href=\"\(HTML.escape(r.file))\">\(HTML.escape(r.name))</a>\(badge)</li>"
            }
            out += "</ul>\n"
        }
        return out + "<footer>Made by cts. Method: docs/METHODOLOGY.md.</footer></body></html>\n"
    }

    /// Groups (world, regions, sub-regions) × years, each cell shaded by coverage.
    func heatMap(_ rows: [AggregateRow]) -> String {
        let shown = rows.filter { $0.group == .world || $0.group == .region || $0.group == .subregion }
        let years = Array(Set(shown.map(\.year))).sorted()
        var groups: [(String, String)] = []
        for r in shown where !groups.contains(where: { $0.0 == r.groupCode }) {
            groups.append((r.groupCode, r.groupName))
        }
        var byKey: [String: AggregateRow] = [:]
        for r in shown { byKey["\(r.groupCode)|\(r.year)"] = r }
        var out =
            "<table class=\"heat\"><tr><th class=\"label\">Group</th>" + years.map { "<th>\($0)</th>" }.joined()
            + "</tr>"
        for (code, name) in groups {
            out += "<tr><td class=\"label\">\(HTML.escape(name))</td>"
            for year in years {
                guard let r = byKey["\(code)|\(year)"] else {
                    out += "<td></td>"
                    continue
                }
                let c = max(0, min(100, r.coverage)) / 100
                // White (0%) to blue (100%).
                let red = Int(255 - 200 * c)
                let green = Int(255 - 120 * c)
                let border = r.publication == .published ? "" : ";border:1px dashed #999"
                out +=
                    "<td style=\"background:rgb(\(red),\(green),255)\(border)\" title=\"\(HTML.escape(r.publication.rawValue))\">\(TrendTable.fixed(r.coverage, 0))</td>"
            }
            out += "</tr>"
        }
        return out + "</table>\n"
    }
}
