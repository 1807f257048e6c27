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
    /// per file; each file appears, whole, only on `commit`. A struct, so that its buffers are checked
    /// for exclusive access when compiled rather than on every row.
    public struct Files {
        public let dimensions: [String]
        public let dataflow: String
        /// Observations added so far.
        public private(set) var count = 0
        private let csv: AtomicFile.Writer
        private let sdmx: AtomicFile.Writer
        private var csvBytes: [UInt8] = []
        private var sdmxBytes: [UInt8] = []
        // The fields rows share are formatted once, as bytes: those of the last reporter and series (rows
        // come by reporter and series, then year), and those of each breakdown (a few dozen in all).
        private var reporter: (text: String, csv: [UInt8], sdmx: [UInt8])?
        private var series: (indicator: String, series: String, iccs: ICCSCode?, csv: [UInt8], sdmx: [UInt8])?
        private var breakdowns: [String: (csv: [UInt8], sdmx: [UInt8])] = [:]

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
        public mutating func add(_ o: Observation) {
            if reporter?.text != o.reporter {
                reporter = (o.reporter, fields([o.reporter, o.iso3, o.m49]), fields([dataflow, o.reporter]))
            }
            if series == nil || series!.indicator != o.indicator || series!.series != o.series || series!.iccs != o.iccs
            {
                series = (
                    o.indicator, o.series, o.iccs,
                    fields([o.indicator, o.series, o.iccs?.rawValue ?? "", o.iccs.map { String($0.level) } ?? ""]),
                    fields([o.indicator.uppercased(), o.series, o.iccs.map { "ICCS\($0.rawValue)" } ?? "_Z"])
                )
            }
            let breakdown =
                breakdowns[o.breakdown]
                ?? {
                    let codes = Observation.breakdownCodes(o.breakdown)
                    let formatted = (
                        csv: fields(dimensions.map { codes[$0] ?? "" }),
                        sdmx: fields(dimensions.map { codes[$0] ?? "_Z" })
                    )
                    breakdowns[o.breakdown] = formatted
                    return formatted
                }()
            let year = String(o.year)
            let value = number(o.value)
            csvBytes += reporter!.csv
            CSVWriter.append(year, to: &csvBytes)
            csvBytes.append(0x2C)
            csvBytes += series!.csv
            csvBytes += breakdown.csv
            for (i, field) in [value, o.status.rawValue, o.derived ? "true" : "false"].enumerated() {
                if i > 0 { csvBytes.append(0x2C) }
                CSVWriter.append(field, to: &csvBytes)
            }
            csvBytes.append(0x2C)
            if let submission = o.submission { CSVWriter.append(String(submission), to: &csvBytes) }
            csvBytes.append(0x0A)
            sdmxBytes += reporter!.sdmx
            sdmxBytes += series!.sdmx
            sdmxBytes += breakdown.sdmx
            CSVWriter.append(year, to: &sdmxBytes)
            sdmxBytes.append(0x2C)
            CSVWriter.append(value, to: &sdmxBytes)
            sdmxBytes.append(0x2C)
            CSVWriter.append(o.status.rawValue, to: &sdmxBytes)
            sdmxBytes.append(0x0A)
            count += 1
            if csvBytes.count >= 1 << 16 { flush() }
        }

        /// `fields` as CSV fields, each followed by a comma.
        private func fields(_ fields: [String]) -> [UInt8] {
            var bytes: [UInt8] = []
            for field in fields {
                CSVWriter.append(field, to: &bytes)
                bytes.append(0x2C)
            }
            return bytes
        }

        /// Writes both files out and puts each in place.
        public mutating func commit() throws {
            flush()
            try csv.commit()
            try sdmx.commit()
        }

        private mutating func flush() {
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
