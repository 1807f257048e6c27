import ArgumentParser
import CTSCore
import CTSIO

/// `cts compare PUBLISHED.csv`: our trend table against figures published elsewhere.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Set the trend table against published figures (e.g. UNODC's regional estimates), group-year by group-year.",
        discussion: """
            PUBLISHED.csv is either a long table (group_code, year, series, value, and optionally sex and \
            measure: total or rate) or UNODC's data-portal export as it is (Iso3_code such as WORLD, \
            BIG5_AFR or M49_SUB_S_AFR, Unit of measurement Counts or Rate per 100,000 population), whose \
            group codes cts maps to M49. Writes comparison.csv and comparison.html: for each group-year, \
            ours, theirs, the difference in percent, our coverage and imputed share; and says how many \
            well-covered group-years lie within the tolerance.

            Examples:
              cts compare unodc_homicide_regional_estimates.csv
              cts compare published.csv --trends outputs/trends.csv --output outputs --tolerance 10
            """)

    @Argument(help: "The published figures (CSV).")
    var published: String

    @Option(help: "Our trend table (from cts aggregate or cts run).")
    var trends = "outputs/trends.csv"

    @Option(help: "Folder for comparison.csv and comparison.html.")
    var output = "outputs"

    @Option(help: "Differences within this many percent count as agreeing.")
    var tolerance = 5.0

    @Option(help: "Group-years whose reporters cover at least this share of the population count as well covered.")
    var coverage = 2.0 / 3.0

    func validate() throws {
        guard tolerance >= 0 else { throw ValidationError("--tolerance must be 0 or more.") }
        guard coverage >= 0 && coverage <= 1 else { throw ValidationError("--coverage must be between 0 and 1.") }
    }

    func run() throws {
        let console = Console.current
        let theirs = try PublishedFigures.read(path: published)
        let ours = try Self.ours(trends)
        let comparison = Reconciliation(published: theirs.figures, ours: ours)
        try FileSystem.makeDirectory(output)
        try AtomicFile.write(Self.csv(comparison, coverage: coverage * 100, tolerance: tolerance), to: output + "/comparison.csv")
        let summary = Self.summary(comparison, coverage: coverage * 100, tolerance: tolerance)
        try AtomicFile.write(
            ComparisonPage(
                comparison: comparison, published: published, trends: trends, summary: summary,
                coverage: coverage * 100, tolerance: tolerance
            ).html(), to: output + "/comparison.html")
        var text = "Read \(theirs.figures.count) published figures from \(published) (\(theirs.layout) layout)"
        let passed = theirs.passedOver.values.reduce(0, +)
        if passed > 0 {
            text += "; passed over \(passed) rows: "
                + theirs.passedOver.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        console.out(text + ".\n")
        if !comparison.unmatched.isEmpty {
            console.out("\(comparison.unmatched.count) published figures have no group-year in \(trends).\n")
        }
        for line in summary { console.out(line + "\n") }
        console.out("Wrote \(output)/comparison.csv and \(output)/comparison.html.\n")
    }

    /// "Counts: 150 of 200 well-covered group-years within ±5% (coverage ≥ 66.7%)", per measure present.
    static func summary(_ c: Reconciliation, coverage: Double, tolerance: Double) -> [String] {
        [Reconciliation.Measure.total, .rate].compactMap { measure in
            guard c.lines.contains(where: { $0.measure == measure }) else { return nil }
            let (within, compared) = c.summary(measure: measure, threshold: coverage, tolerance: tolerance)
            return "\(measure == .total ? "Counts" : "Rates"): \(within) of \(compared) well-covered group-years "
                + "within ±\(TrendTable.fixed(tolerance, tolerance.rounded() == tolerance ? 0 : 1))% "
                + "(coverage ≥ \(TrendTable.fixed(coverage, 1))%)."
        }
    }

    /// Our published figures by group-year (the total of every other breakdown), from the trend table.
    static func ours(_ path: String) throws -> [Reconciliation.Key: Reconciliation.Ours] {
        let table = try CSVTable.read(
            path: path,
            required: ["group_code", "group_name", "series", "year", "total", "rate_per_100k", "coverage_pct", "imputed_pct"])
        func column(_ name: String) -> Int? { table.header.firstIndex(of: name) }
        let (g, n, s, y, t, r, c, i) = (
            column("group_code")!, column("group_name")!, column("series")!, column("year")!, column("total")!,
            column("rate_per_100k")!, column("coverage_pct")!, column("imputed_pct")!
        )
        let sex = column("sex")
        // Other breakdowns must be at their total (or absent) for the row to stand for the group-year.
        let others = table.header.indices.filter { ["age", "citizenship"].contains(table.header[$0]) }
        var result: [Reconciliation.Key: Reconciliation.Ours] = [:]
        for record in table.records {
            let f = record.fields
            guard others.allSatisfy({ f[$0].isEmpty || f[$0] == "_T" }), let year = Int(f[y]) else { continue }
            let sexCode = sex.map { f[$0].isEmpty ? "_T" : f[$0] } ?? "_T"
            result[.init(group: f[g], series: f[s], sex: sexCode, year: year)] = .init(
                groupName: f[n], total: Double(f[t]), rate: Double(f[r]), coverage: Double(f[c]) ?? 0,
                imputed: Double(f[i]) ?? 0)
        }
        return result
    }

    static let columns = [
        "group_code", "group_name", "series", "sex", "year", "measure", "ours", "theirs", "difference_pct",
        "coverage_pct", "imputed_pct", "well_covered", "within_tolerance",
    ]

    static func csv(_ c: Reconciliation, coverage: Double, tolerance: Double) -> String {
        var out = CSVWriter.row(columns)
        for l in c.lines {
            let well = l.wellCovered(coverage)
            out += CSVWriter.row([
                l.key.group, l.groupName, l.key.series, l.key.sex, String(l.key.year), l.measure.rawValue,
                TrendTable.fixed(l.ours, 3), TrendTable.fixed(l.theirs, 3), TrendTable.fixed(l.difference, 1),
                TrendTable.fixed(l.coverage, 1), TrendTable.fixed(l.imputed, 1), well ? "yes" : "no",
                l.difference.map { abs($0) <= tolerance + 1e-9 ? "yes" : "no" } ?? "",
            ])
        }
        return out
    }
}
