import CTSCore

/// The HTML page of `cts compare`: the summary, then every group-year compared, by series, sex and group,
/// differences beyond the tolerance marked.
public struct ComparisonPage: Sendable {
    public var comparison: Reconciliation
    public var published: String
    public var trends: String
    public var summary: [String]
    /// Percent of population; percent difference.
    public var coverage: Double
    public var tolerance: Double

    public init(
        comparison: Reconciliation, published: String, trends: String, summary: [String], coverage: Double,
        tolerance: Double
    ) {
        self.comparison = comparison
        self.published = published
        self.trends = trends
        self.summary = summary
        self.coverage = coverage
        self.tolerance = tolerance
    }

    public func html() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Comparison with \(HTML.escape(published))</title>
            <style>\(HTML.style)td.off{background:#fde2e1}td.thin{color:#999}</style></head><body>
            <h1>Our trend table against published figures</h1>
            <p class="meta">\(HTML.escape(trends)) against \(HTML.escape(published))</p>
            <ul>\(summary.map { "<li>\(HTML.escape($0))</li>" }.joined())</ul>
            <p>Differences beyond ±\(TrendTable.fixed(tolerance, 1))% are shaded. Group-years whose reporters cover less than \(TrendTable.fixed(coverage, 1))% of the population are greyed: they rest mostly on imputation, ours and theirs alike.</p>

            """
        var current = ""
        for l in comparison.lines {
            let heading = "\(l.key.series) · sex \(l.key.sex) · \(l.measure == .total ? "counts" : "rates per 100,000")"
            if heading != current {
                if !current.isEmpty { out += "</tbody></table>\n" }
                current = heading
                out +=
                    "<h2>\(HTML.escape(heading))</h2>\n<table><thead><tr><th class=\"label\">Group</th><th>Year</th>"
                    + "<th>Ours</th><th>Theirs</th><th>Difference %</th><th>Coverage %</th><th>Imputed %</th></tr></thead><tbody>\n"
            }
            let thin = !l.wellCovered(coverage)
            let off = l.difference.map { abs($0) > tolerance + 1e-9 } ?? false
            let digits = l.measure == .total ? 0 : 2
            out +=
                "<tr\(thin ? " class=\"thin\"" : "")><td class=\"label\">\(HTML.escape(l.groupName)) (\(HTML.escape(l.key.group)))</td>"
                + "<td>\(l.key.year)</td><td>\(TrendTable.fixed(l.ours, digits))</td><td>\(TrendTable.fixed(l.theirs, digits))</td>"
                + "<td\(off && !thin ? " class=\"off\"" : "")>\(TrendTable.fixed(l.difference, 1))</td>"
                + "<td>\(TrendTable.fixed(l.coverage, 1))</td><td>\(TrendTable.fixed(l.imputed, 1))</td></tr>\n"
        }
        if !current.isEmpty { out += "</tbody></table>\n" }
        return out + "<footer>Made by cts compare.</footer>\n</body></html>\n"
    }
}
