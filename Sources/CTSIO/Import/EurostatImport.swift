import CTSCore
import Foundation

/// Turns Eurostat's data of an offence dataset with an ICCS dimension (`crim_off_cat`), as its bulk TSV
/// (`freq,iccs,unit,geo\TIME_PERIOD` keys, one column per year, `:` for missing, flags after a value such as
/// `12 p`) or as SDMX-CSV (one observation a row, `OBS_VALUE` and `OBS_FLAG`), into returns in cts's CSV format, one per reporter. Each ICCS code goes to the questionnaire's
/// variable of that code (of the police-recorded offences), each geo code through the country aliases;
/// rates are left out. Every row not turned into figures is counted with the reason and listed. Pure:
/// text in, returns out.
public struct EurostatImport: Sendable {
    /// The columns of a return under `questionnaire`, in order.
    public static func header(_ questionnaire: Questionnaire) -> [String] {
        ["country", "year", "table", "variable"] + questionnaire.dimensionIDs + ["value", "status", "note"]
    }

    /// One return: its reporter and its rows (the columns of `header`).
    public struct Return: Sendable, Equatable {
        public var reporter: String
        public var rows: [[String]]

        public init(reporter: String, rows: [[String]]) {
            self.reporter = reporter
            self.rows = rows
        }
    }

    /// A row (or value) not imported, with its line and why.
    public struct Skipped: Sendable, Equatable {
        public var line: Int
        public var key: String
        public var reason: String
    }

    public var returns: [Return] = []
    public var skipped: [Skipped] = []
    /// Values left out that need no listing each: rates (whole rows counted) and `:` (missing) in years
    /// the reporter has no figure at all.
    public var rateRows = 0
    public var missingValues = 0
    /// `:` values kept as empty figures with status L (in years the reporter has other figures).
    public var missingKept = 0
    public var figures = 0

    /// Eurostat's NUTS codes for the UK's parts, which report on their own.
    static let units = ["UKC-L": "GBR_EW", "UKM": "GBR_S", "UKN": "GBR_NI"]

    /// Eurostat's flags as observation statuses: provisional, estimated, break in series, definition differs.
    static let flags: [Character: ObservationStatus] = [
        "p": .provisional, "e": .estimated, "b": .breakInSeries, "d": .definitionDiffers,
    ]

    /// The variable of each ICCS code among the tables of police-recorded offences without breakdowns,
    /// and what each row and value becomes.
    private let variables: [String: (table: String, variable: String)]
    private let countries: CountryRegistry
    private let noBreakdown: [String]
    private let dataset: String
    private var byReporter: [String: [[String]]] = [:]
    private var pendingMissing: [String: [[String]]] = [:]

    private init(questionnaire: Questionnaire, countries: CountryRegistry, dataset: String) {
        var variables: [String: (table: String, variable: String)] = [:]
        for table in questionnaire.tables
        where table.indicator == "offences_recorded" && !table.nationalCategories && table.breakdowns.isEmpty {
            for v in table.variables {
                if let code = v.iccs, variables[code.rawValue] == nil { variables[code.rawValue] = (table.id, v.id) }
            }
        }
        self.variables = variables
        self.countries = countries
        self.noBreakdown = Array(repeating: "", count: questionnaire.dimensionIDs.count)
        self.dataset = dataset
    }

    /// Reads the bulk TSV: `freq,iccs,unit,geo\TIME_PERIOD` keys, then one column per year.
    public init(text: String, file: String, questionnaire: Questionnaire, countries: CountryRegistry) throws {
        self.init(questionnaire: questionnaire, countries: countries, dataset: "crim_off_cat")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first, header.hasPrefix("freq,iccs,unit,geo") else {
            throw InputError(
                "\(file) is neither Eurostat's bulk TSV of an ICCS dataset (its first column is not "
                    + "freq,iccs,unit,geo\\TIME_PERIOD) nor SDMX-CSV (with TIME_PERIOD and OBS_VALUE columns).",
                code: "import.layout", at: SourceLocation(file: file, line: 1, column: 1),
                fix: "Download the dataset (e.g. crim_off_cat) from Eurostat as TSV (bulk download) or SDMX-CSV.")
        }
        let years = header.split(separator: "\t").dropFirst().map { Int($0.trimmingCharacters(in: .whitespaces)) }
        for (n, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let number = n + 1
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let keys = fields[0].split(separator: ",").map(String.init)
            guard keys.count == 4, fields.count == years.count + 1 else {
                skipped.append(.init(line: number, key: String(fields[0]), reason: "not a series row (keys or year columns)"))
                continue
            }
            guard let series = series(iccs: keys[1], unit: keys[2], geo: keys[3], line: number, key: String(fields[0]))
            else { continue }
            for (i, cell) in fields.dropFirst().enumerated() {
                guard let year = years[i] else { continue }
                add(cell.trimmingCharacters(in: .whitespaces), year: year, series: series, line: number, key: String(fields[0]))
            }
        }
        finish()
    }

    /// Reads SDMX-CSV (1.0 or 2.0, as Eurostat's API writes it): one observation a row, with `iccs`,
    /// `unit`, `geo`, `TIME_PERIOD`, `OBS_VALUE` and `OBS_FLAG` columns, codes alone or as `code: label`.
    public init(sdmx records: [CSVRecord], file: String, questionnaire: Questionnaire, countries: CountryRegistry) throws {
        var dataset = "crim_off_cat"
        if let first = records.dropFirst().first?.fields.prefix(2).first(where: { $0.contains(":") && $0.contains("(") }),
            let open = first.firstIndex(of: ":")
        {
            // ESTAT:CRIM_OFF_CAT(1.0) names the dataset (DATAFLOW in SDMX-CSV 1.0, STRUCTURE_ID in 2.0).
            let name = first[first.index(after: open)...].prefix { $0 != "(" && $0 != "," }
            if !name.isEmpty { dataset = name.lowercased() }
        }
        self.init(questionnaire: questionnaire, countries: countries, dataset: dataset)
        let header = (records.first?.fields ?? []).map { Self.code($0).lowercased() }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let iccs = column("iccs"), let unit = column("unit"), let geo = column("geo"),
            let time = column("time_period"), let value = column("obs_value")
        else {
            let missing = ["iccs", "unit", "geo", "TIME_PERIOD", "OBS_VALUE"].filter { column($0.lowercased()) == nil }
            throw InputError(
                "\(file) is SDMX-CSV without the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")), "
                    + "so its figures cannot be placed.", code: "import.layout",
                at: SourceLocation(file: file, line: 1, column: 1),
                fix: "Download a dataset with an ICCS dimension (e.g. crim_off_cat) in SDMX-CSV from Eurostat.")
        }
        let flag = column("obs_flag")
        for record in records.dropFirst() {
            let f = record.fields
            guard f.count == header.count else {
                skipped.append(.init(line: record.line, key: f.joined(separator: ","), reason: "\(f.count) fields, not \(header.count)"))
                continue
            }
            let key = [f[iccs], f[unit], f[geo], f[time]].map(Self.code).joined(separator: ",")
            guard let series = series(iccs: Self.code(f[iccs]), unit: Self.code(f[unit]), geo: Self.code(f[geo]), line: record.line, key: key)
            else { continue }
            guard let year = Int(Self.code(f[time]).prefix(4)), Self.code(f[time]).count == 4 else {
                skipped.append(.init(line: record.line, key: key, reason: "\"\(f[time])\" is not a year"))
                continue
            }
            let obs = f[value].trimmingCharacters(in: .whitespaces)
            let flags = flag.map { Self.code(f[$0]) } ?? ""
            add(obs.isEmpty ? ":" : (flags.isEmpty ? obs : obs + " " + flags), year: year, series: series, line: record.line, key: key)
        }
        finish()
    }

    /// `A` of `A: Annual` (SDMX-CSV with labels), trimmed.
    static func code(_ field: String) -> String {
        let text = field.trimmingCharacters(in: .whitespaces)
        guard let colon = text.range(of: ": ") else { return text }
        return String(text[..<colon.lowerBound])
    }

    /// What a series is imported as: its reporter and variable; nil (counted or listed) for rates and
    /// codes the questionnaire or the reference does not know.
    private mutating func series(iccs iccsKey: String, unit: String, geo: String, line: Int, key: String)
        -> (reporter: String, table: String, variable: String, iccs: String, geo: String)?
    {
        guard unit == "NR" else {
            rateRows += 1
            return nil
        }
        let code = iccsKey.hasPrefix("ICCS") ? String(iccsKey.dropFirst(4)) : iccsKey
        guard let target = variables[code] else {
            skipped.append(.init(line: line, key: key, reason: "ICCS \(code) is not a variable of the questionnaire"))
            return nil
        }
        guard let reporter = Self.units[geo] ?? countries.reporter(for: geo) else {
            skipped.append(.init(line: line, key: key, reason: "geo \(geo) is not a known country"))
            return nil
        }
        return (reporter, target.table, target.variable, iccsKey, geo)
    }

    /// One value with its flags (`12 p`), or `:` for not available.
    private mutating func add(
        _ text: String, year: Int, series: (reporter: String, table: String, variable: String, iccs: String, geo: String),
        line: Int, key: String
    ) {
        let source = "Eurostat \(dataset) \(series.iccs) \(series.geo)"
        let start = [series.reporter, String(year), series.table, series.variable] + noBreakdown
        if text.isEmpty || text.hasPrefix(":") {
            // Not available: kept as an empty figure with status L where the reporter has figures that year
            // (`finish`), so a required variable says it is missing rather than absent.
            pendingMissing[series.reporter, default: []].append(
                start + ["", ObservationStatus.notCollected.rawValue, source + ": not available (:)"])
            return
        }
        let parts = text.split(separator: " ", maxSplits: 1)
        let value = String(parts[0])
        let flagText = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard Double(value) != nil else {
            skipped.append(.init(line: line, key: "\(key) \(year)", reason: "\"\(text)\" is not a figure"))
            return
        }
        let status = flagText.first.flatMap { Self.flags[$0] }
        var note = source
        if !flagText.isEmpty && status == nil { note += "; Eurostat flag \(flagText)" }
        byReporter[series.reporter, default: []].append(start + [value, status?.rawValue ?? "", note])
        figures += 1
    }

    private mutating func finish() {
        for (reporter, rows) in pendingMissing {
            let years = Set((byReporter[reporter] ?? []).map { $0[1] })
            for row in rows {
                if years.contains(row[1]) {
                    byReporter[reporter, default: []].append(row)
                    missingKept += 1
                } else {
                    missingValues += 1
                }
            }
        }
        returns = byReporter.keys.sorted().map { reporter in
            Return(
                reporter: reporter,
                rows: byReporter[reporter]!.sorted { ($0[1], $0[2], $0[3]) < ($1[1], $1[2], $1[3]) })
        }
    }
}
