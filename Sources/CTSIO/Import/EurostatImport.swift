import CTSCore
import Foundation

/// Turns Eurostat's bulk TSV of an offence dataset with an ICCS dimension (`crim_off_cat`:
/// `freq,iccs,unit,geo\TIME_PERIOD` keys, one column per year, `:` for missing, flags after a value such as
/// `12 p`) into returns in cts's CSV format, one per reporter. Each ICCS code goes to the questionnaire's
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

    public init(text: String, file: String, questionnaire: Questionnaire, countries: CountryRegistry) throws {
        // The variable of each ICCS code among the tables of police-recorded offences without breakdowns.
        var variables: [String: (table: String, variable: String)] = [:]
        for table in questionnaire.tables
        where table.indicator == "offences_recorded" && !table.nationalCategories && table.breakdowns.isEmpty {
            for v in table.variables {
                if let code = v.iccs, variables[code.rawValue] == nil { variables[code.rawValue] = (table.id, v.id) }
            }
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first, header.hasPrefix("freq,iccs,unit,geo") else {
            throw InputError(
                "\(file) is not Eurostat's bulk TSV of an ICCS dataset: its first column is not "
                    + "freq,iccs,unit,geo\\TIME_PERIOD.", code: "import.layout",
                at: SourceLocation(file: file, line: 1, column: 1),
                fix: "Download the dataset (e.g. crim_off_cat) as TSV from Eurostat's bulk download.")
        }
        let years = header.split(separator: "\t").dropFirst().map { Int($0.trimmingCharacters(in: .whitespaces)) }
        var byReporter: [String: [[String]]] = [:]
        var pendingMissing: [String: [[String]]] = [:]
        let noBreakdown = Array(repeating: "", count: questionnaire.dimensionIDs.count)
        for (n, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let number = n + 1
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let keys = fields[0].split(separator: ",").map(String.init)
            guard keys.count == 4, fields.count == years.count + 1 else {
                skipped.append(.init(line: number, key: String(fields[0]), reason: "not a series row (keys or year columns)"))
                continue
            }
            let (iccsKey, unit, geo) = (keys[1], keys[2], keys[3])
            guard unit == "NR" else {
                rateRows += 1
                continue
            }
            let code = iccsKey.hasPrefix("ICCS") ? String(iccsKey.dropFirst(4)) : iccsKey
            guard let target = variables[code] else {
                skipped.append(
                    .init(line: number, key: String(fields[0]), reason: "ICCS \(code) is not a variable of the questionnaire"))
                continue
            }
            guard let reporter = Self.units[geo] ?? countries.reporter(for: geo) else {
                skipped.append(.init(line: number, key: String(fields[0]), reason: "geo \(geo) is not a known country"))
                continue
            }
            for (i, cell) in fields.dropFirst().enumerated() {
                let text = cell.trimmingCharacters(in: .whitespaces)
                guard let year = years[i] else { continue }
                if text.isEmpty || text.hasPrefix(":") {
                    // Not available: kept as an empty figure with status L where the reporter has figures
                    // that year (below), so a required variable says it is missing rather than absent.
                    pendingMissing[reporter, default: []].append(
                        [reporter, String(year), target.table, target.variable] + noBreakdown
                            + ["", ObservationStatus.notCollected.rawValue, "Eurostat crim_off_cat \(iccsKey) \(geo): not available (:)"])
                    continue
                }
                let parts = text.split(separator: " ", maxSplits: 1)
                let value = String(parts[0])
                let flagText = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                guard Double(value) != nil else {
                    skipped.append(
                        .init(line: number, key: "\(fields[0]) \(year)", reason: "\"\(text)\" is not a figure"))
                    continue
                }
                let status = flagText.first.flatMap { Self.flags[$0] }
                var note = "Eurostat crim_off_cat \(iccsKey) \(geo)"
                if !flagText.isEmpty && status == nil { note += "; Eurostat flag \(flagText)" }
                byReporter[reporter, default: []].append(
                    [reporter, String(year), target.table, target.variable] + noBreakdown
                        + [value, status?.rawValue ?? "", note])
                figures += 1
            }
        }
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
