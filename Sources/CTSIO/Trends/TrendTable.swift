import CTSCore

/// Writes trend rows as tidy CSV: one row per group, series, breakdown and year (columns in
/// docs/METHODOLOGY.md).
public enum TrendTable {
    /// The order rows are written in: indicator, series, ICCS, breakdown, group kind (world first), group
    /// code, year.
    public static func sorted(_ rows: [AggregateRow]) -> [AggregateRow] {
        let kinds = CountryGroup.Kind.allCases
        return rows.sorted {
            let a = ($0.indicator, $0.series, $0.iccs?.rawValue ?? "", $0.breakdown)
            let b = ($1.indicator, $1.series, $1.iccs?.rawValue ?? "", $1.breakdown)
            if a != b { return a < b }
            let ka = kinds.firstIndex(of: $0.group)!
            let kb = kinds.firstIndex(of: $1.group)!
            if ka != kb { return ka < kb }
            return ($0.groupCode, $0.year) < ($1.groupCode, $1.year)
        }
    }

    public static let columns = [
        "group_type", "group_code", "group_name", "indicator", "series", "iccs", "iccs_level",
    ]

    public static let measures = [
        "year", "total", "rate_per_100k", "population", "countries", "countries_reporting", "coverage_pct",
        "imputed_pct", "index", "change_pct", "status", "publication",
    ]

    public static func csv(_ rows: [AggregateRow], dimensions: [String]) -> String {
        var out = CSVWriter.row(columns + dimensions + measures)
        var codeCache: [String: [String]] = [:]
        for r in rows {
            let parsed =
                codeCache[r.breakdown]
                ?? {
                    let codes = ObservationExport.codes(r.breakdown)
                    return dimensions.map { codes[$0] ?? "" }
                }()
            codeCache[r.breakdown] = parsed
            out += CSVWriter.row(
                [
                    r.group.rawValue, r.groupCode, r.groupName, r.indicator, r.series, r.iccs?.rawValue ?? "",
                    r.iccs.map { String($0.level) } ?? "",
                ] + parsed
                    + [
                        String(r.year), fixed(r.total, 0), fixed(r.rate, 3), fixed(r.population, 0),
                        String(r.countries), String(r.reporting), fixed(r.coverage, 1), fixed(r.imputedShare, 1),
                        fixed(r.index, 1), fixed(r.change, 1), r.status?.rawValue ?? "", r.publication.rawValue,
                    ])
        }
        return out
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
