import CTSCore

/// Writes normalized observations as a tidy CSV and as SDMX-CSV (version 1).
public enum ObservationExport {
    /// The dimension columns: `known` in order, then any other dimension found in the data, sorted.
    public static func dimensions(of observations: [Observation], known: [String]) -> [String] {
        var seen = Set<String>()
        for o in observations {
            for pair in o.breakdown.split(separator: ";") {
                if let name = pair.split(separator: "=").first { seen.insert(String(name)) }
            }
        }
        return known + seen.subtracting(known).sorted()
    }

    static func codes(_ breakdown: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in breakdown.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        return result
    }

    /// Whole numbers without a decimal part; others in full precision (never rounded, unlike messages).
    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// One row per observation: reporter, country, M49, year, indicator, series, ICCS code and level,
    /// a column per dimension, value, status, whether cts derived it, and the source submission.
    public static func csv(_ observations: [Observation], dimensions: [String]) -> String {
        var out = CSVWriter.row(
            ["reporter", "iso3", "m49", "year", "indicator", "series", "iccs", "iccs_level"] + dimensions
                + ["value", "status", "derived", "submission"])
        for o in observations {
            let codes = codes(o.breakdown)
            out += CSVWriter.row(
                [
                    o.reporter, o.iso3, o.m49, String(o.year), o.indicator, o.series, o.iccs?.rawValue ?? "",
                    o.iccs.map { String($0.level) } ?? "",
                ] + dimensions.map { codes[$0] ?? "" }
                    + [
                        number(o.value), o.status.rawValue, o.derived ? "true" : "false",
                        o.submission.map(String.init) ?? "",
                    ])
        }
        return out
    }

    /// SDMX-CSV: `DATAFLOW`, the dimensions in upper case (`_Z` where one does not apply), `TIME_PERIOD`,
    /// `OBS_VALUE`, `OBS_STATUS`. `REF_AREA` is the reporter.
    public static func sdmxCSV(_ observations: [Observation], dimensions: [String], dataflow: String) -> String {
        var out = CSVWriter.row(
            ["DATAFLOW", "REF_AREA", "INDICATOR", "SERIES", "ICCS"] + dimensions.map { $0.uppercased() }
                + ["TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"])
        for o in observations {
            let codes = codes(o.breakdown)
            out += CSVWriter.row(
                [dataflow, o.reporter, o.indicator.uppercased(), o.series, o.iccs.map { "ICCS\($0.rawValue)" } ?? "_Z"]
                    + dimensions.map { codes[$0] ?? "_Z" }
                    + [String(o.year), number(o.value), o.status.rawValue])
        }
        return out
    }
}
