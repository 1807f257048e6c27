import CTSCore

/// Writes normalized observations as a tidy CSV and as SDMX-CSV (version 1).
public enum ObservationExport {
    /// The dimension columns: `known` in order, then any other dimension in `breakdowns`, sorted.
    public static func dimensions(breakdowns: some Sequence<String>, known: [String]) -> [String] {
        var seen = Set<String>()
        for breakdown in breakdowns {
            for pair in breakdown.split(separator: ";") {
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

    /// The two export files of one folder, written row by row: `observations.csv` has one row per
    /// observation (reporter, country, M49, year, indicator, series, ICCS code and level, a column per
    /// dimension, value, status, whether cts derived it, the source submission); `observations.sdmx.csv`
    /// is SDMX-CSV (`DATAFLOW`, the dimensions in upper case, `_Z` where one does not apply,
    /// `TIME_PERIOD`, `OBS_VALUE`, `OBS_STATUS`; `REF_AREA` is the reporter). Memory holds one buffer
    /// per file; each file appears, whole, only on `commit`.
    public final class Files {
        public let dimensions: [String]
        public let dataflow: String
        /// Observations added so far.
        public private(set) var count = 0
        private let csv: AtomicFile.Writer
        private let sdmx: AtomicFile.Writer
        private var csvBytes: [UInt8] = []
        private var sdmxBytes: [UInt8] = []
        // Observations of one series come together: their breakdown is split once.
        private var lastBreakdown: String?
        private var lastCodes: [String?] = []

        public init(directory: String, dimensions: [String], dataflow: String = "CTS:UN_CTS(1.0)") throws {
            self.dimensions = dimensions
            self.dataflow = dataflow
            csv = try AtomicFile.Writer(path: directory + "/observations.csv")
            sdmx = try AtomicFile.Writer(path: directory + "/observations.sdmx.csv")
            row(
                &csvBytes,
                ["reporter", "iso3", "m49", "year", "indicator", "series", "iccs", "iccs_level"] + dimensions
                    + ["value", "status", "derived", "submission"])
            row(
                &sdmxBytes,
                ["DATAFLOW", "REF_AREA", "INDICATOR", "SERIES", "ICCS"] + dimensions.map { $0.uppercased() }
                    + ["TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"])
        }

        /// Adds one observation to both files. O(fields).
        public func add(_ o: Observation) {
            if o.breakdown != lastBreakdown {
                let codes = ObservationExport.codes(o.breakdown)
                lastCodes = dimensions.map { codes[$0] }
                lastBreakdown = o.breakdown
            }
            let year = String(o.year)
            let value = number(o.value)
            row(
                &csvBytes,
                [
                    o.reporter, o.iso3, o.m49, year, o.indicator, o.series, o.iccs?.rawValue ?? "",
                    o.iccs.map { String($0.level) } ?? "",
                ] + lastCodes.map { $0 ?? "" }
                    + [value, o.status.rawValue, o.derived ? "true" : "false", o.submission.map(String.init) ?? ""])
            row(
                &sdmxBytes,
                [dataflow, o.reporter, o.indicator.uppercased(), o.series, o.iccs.map { "ICCS\($0.rawValue)" } ?? "_Z"]
                    + lastCodes.map { $0 ?? "_Z" } + [year, value, o.status.rawValue])
            count += 1
            if csvBytes.count >= 1 << 16 { flush() }
        }

        /// Writes both files out and puts each in place.
        public func commit() throws {
            flush()
            try csv.commit()
            try sdmx.commit()
        }

        private func flush() {
            csv.put(csvBytes)
            sdmx.put(sdmxBytes)
            csvBytes.removeAll(keepingCapacity: true)
            sdmxBytes.removeAll(keepingCapacity: true)
        }

        private func row(_ bytes: inout [UInt8], _ fields: [String]) {
            for (i, field) in fields.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                CSVWriter.append(field, to: &bytes)
            }
            bytes.append(0x0A)
        }
    }
}
