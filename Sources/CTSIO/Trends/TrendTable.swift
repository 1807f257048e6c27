import CTSCore

/// Writes trend rows as tidy CSV: one row per group, series, breakdown and year (columns in
/// docs/METHODOLOGY.md).
public enum TrendTable {
    /// The order rows are written in: indicator, series, ICCS, breakdown, group kind (world first), group
    /// code, year.
    ///
    /// Each row's series and group code are ranked once, so the sort compares four integers instead of
    /// strings. O(n log n).
    public static func sorted(_ rows: [AggregateRow]) -> [AggregateRow] {
        var copy = rows
        sort(&copy)
        return copy
    }

    /// Puts `rows` in the order `sorted` gives, in place: no second array of rows is made.
    public static func sort(_ rows: inout [AggregateRow]) {
        let order = order(rows)
        // Follow each cycle of the permutation: position i takes the row at order[i].
        var placed = [Bool](repeating: false, count: rows.count)
        for start in rows.indices where !placed[start] {
            let first = rows[start]
            var i = start
            while true {
                placed[i] = true
                let j = order[i]
                if j == start {
                    rows[i] = first
                    break
                }
                rows[i] = rows[j]
                i = j
            }
        }
    }

    /// The positions of `rows` in written order.
    private static func order(_ rows: [AggregateRow]) -> [Int] {
        struct Series: Hashable, Comparable {
            var indicator: String
            var series: String
            var iccs: String
            var breakdown: String
            static func < (a: Series, b: Series) -> Bool {
                (a.indicator, a.series, a.iccs, a.breakdown) < (b.indicator, b.series, b.iccs, b.breakdown)
            }
        }
        func series(_ r: AggregateRow) -> Series {
            Series(indicator: r.indicator, series: r.series, iccs: r.iccs?.rawValue ?? "", breakdown: r.breakdown)
        }
        let seriesRank = Dictionary(
            uniqueKeysWithValues: Set(rows.map(series)).sorted().enumerated().map { ($1, $0) })
        let codeRank = Dictionary(
            uniqueKeysWithValues: Set(rows.map(\.groupCode)).sorted().enumerated().map { ($1, $0) })
        let kinds = CountryGroup.Kind.allCases
        let kindRank = Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })
        let keys = rows.map { r in
            (seriesRank[series(r)]!, kindRank[r.group]!, codeRank[r.groupCode]!, r.year)
        }
        return rows.indices.sorted { keys[$0] < keys[$1] }
    }

    public static let columns = [
        "group_type", "group_code", "group_name", "indicator", "series", "iccs", "iccs_level",
    ]

    public static let measures = [
        "year", "total", "rate_per_100k", "population", "countries", "countries_reporting", "coverage_pct",
        "imputed_pct", "index", "change_pct", "status", "publication",
    ]

    public static func csv(_ rows: [AggregateRow], dimensions: [String]) -> String {
        var out = header(dimensions: dimensions)
        for line in lines(rows, dimensions: dimensions) { out += line }
        return out
    }

    /// The header line.
    public static func header(dimensions: [String]) -> String { CSVWriter.row(columns + dimensions + measures) }

    /// One CSV line per row, in the order given.
    public static func lines<Rows: Collection<AggregateRow>>(_ rows: Rows, dimensions: [String]) -> [String] {
        var codeCache: [String: String] = [:]
        return rows.map { r in
            // The breakdown's columns are the same for many rows: formatted once per breakdown.
            let codes =
                codeCache[r.breakdown]
                ?? {
                    let codes = ObservationExport.codes(r.breakdown)
                    return dimensions.map { CSVWriter.field(codes[$0] ?? "") + "," }.joined()
                }()
            codeCache[r.breakdown] = codes
            var line = ""
            line.reserveCapacity(192)
            func add(_ text: String) {
                line += CSVWriter.field(text)
                line += ","
            }
            add(r.group.rawValue)
            add(r.groupCode)
            add(r.groupName)
            add(r.indicator)
            add(r.series)
            add(r.iccs?.rawValue ?? "")
            line += r.iccs.map { String($0.level) } ?? ""
            line += ","
            line += codes
            add(String(r.year))
            add(fixed(r.total, 0))
            add(fixed(r.rate, 3))
            add(fixed(r.population, 0))
            add(String(r.countries))
            add(String(r.reporting))
            add(fixed(r.coverage, 1))
            add(fixed(r.imputedShare, 1))
            add(fixed(r.index, 1))
            add(fixed(r.change, 1))
            add(r.status?.rawValue ?? "")
            line += CSVWriter.field(r.publication.rawValue)
            line += "\n"
            return line
        }
    }

    /// `value` with `digits` decimals (half away from zero), or empty.
    public static func fixed(_ value: Double?, _ digits: Int) -> String {
        guard let value, value.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded() / scale * (value < 0 ? -1 : 1)
        if digits == 0 { return String(Int64(rounded)) }
        let whole = Int64(abs(rounded))
        let frac = Int64(((abs(rounded) - Double(whole)) * scale).rounded())
        var fracText = String(frac)
        while fracText.count < digits { fracText = "0" + fracText }
        return (rounded < 0 ? "-" : "") + "\(whole).\(fracText)"
    }
}
