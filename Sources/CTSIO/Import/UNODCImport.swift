import CTSCore
import Foundation

/// Turns UNODC's data-portal exports (the long layout `Iso3_code, Country, Region, Subregion, Indicator,
/// Dimension, Category, Sex, Age, Year, Unit of measurement, VALUE, Source`, with or without preamble
/// lines) into returns in cts's CSV format, one per reporter. `reference/unodc_import.csv` says which
/// indicator, dimension and category is which questionnaire variable; sex `Total`, `Male`, `Female` are
/// `_T`, `M`, `F`, and a table's other breakdowns are at their total. Counts only: rates are left out;
/// counts with decimals (model estimates) are sent as estimates (status E). Every row not imported is
/// counted with the reason, and the first rows of each reason listed. Pure: records in, returns out.
public struct UNODCImport: Sendable {
    public var returns: [EurostatImport.Return] = []
    /// Rows not imported, by reason, with the first lines of each.
    public var skipped: [String: (count: Int, lines: [Int])] = [:]
    public var rateRows = 0
    public var figures = 0
    /// Lines before the header (the export's banner).
    public var preamble = 0

    /// (indicator, dimension, category) → (table, variable), from `reference/unodc_import.csv`.
    public static func mapping(_ table: CSVTable) throws -> [String: (table: String, variable: String)] {
        func column(_ name: String) -> Int { table.header.firstIndex(of: name)! }
        let (i, d, c, t, v) = (
            column("indicator"), column("dimension"), column("category"), column("table"), column("variable")
        )
        var result: [String: (table: String, variable: String)] = [:]
        for r in table.records { result["\(r.fields[i])|\(r.fields[d])|\(r.fields[c])"] = (r.fields[t], r.fields[v]) }
        return result
    }

    static let sexes = ["Total": "_T", "Male": "M", "Female": "F", "Unknown": "_U"]

    public init(
        records: [CSVRecord], file: String, mapping: [String: (table: String, variable: String)],
        questionnaire: Questionnaire, countries: CountryRegistry
    ) throws {
        guard let headerIndex = records.firstIndex(where: { $0.fields.first == "Iso3_code" }) else {
            throw InputError(
                "\(file) is not a UNODC data-portal export: no header line starting with Iso3_code.",
                code: "import.layout", at: SourceLocation(file: file, line: 1, column: 1),
                fix: "Give the CSV as downloaded from dataUNODC (Iso3_code, Country, ..., VALUE, Source).")
        }
        preamble = headerIndex
        let header = records[headerIndex].fields
        let needed = ["Iso3_code", "Indicator", "Dimension", "Category", "Sex", "Age", "Year", "Unit of measurement", "VALUE"]
        var at: [String: Int] = [:]
        for name in needed {
            guard let i = header.firstIndex(of: name) else {
                throw InputError(
                    "\(file) has no column \(name).", code: "import.layout",
                    at: SourceLocation(file: file, line: records[headerIndex].line, column: 1))
            }
            at[name] = i
        }
        let dims = questionnaire.dimensionIDs
        var byReporter: [String: [[String]]] = [:]
        func skip(_ reason: String, _ line: Int) {
            var entry = skipped[reason] ?? (0, [])
            entry.count += 1
            if entry.lines.count < 5 { entry.lines.append(line) }
            skipped[reason] = entry
        }
        for r in records[(headerIndex + 1)...] {
            let f = r.fields
            guard f.count == header.count else {
                skip("a row whose fields do not match the header", r.line)
                continue
            }
            func field(_ name: String) -> String { f[at[name]!].trimmingCharacters(in: .whitespaces) }
            guard field("Unit of measurement") == "Counts" else {
                rateRows += 1
                continue
            }
            let key = "\(field("Indicator"))|\(field("Dimension"))|\(field("Category"))"
            guard let target = mapping[key], let table = questionnaire.table(target.table) else {
                skip("no variable for \(key.replacingOccurrences(of: "|", with: " / "))", r.line)
                continue
            }
            guard let reporter = countries.reporter(for: field("Iso3_code")) else {
                skip("\(field("Iso3_code")) is not a known country or reporting unit", r.line)
                continue
            }
            // Sex as the table takes it; any other breakdown only at its total.
            var codes = questionnaire.totalBreakdown(of: table)
            let sex = field("Sex")
            if let d = dims.firstIndex(of: "sex"), table.breakdowns.contains("sex") {
                guard let code = Self.sexes[sex] else {
                    skip("sex \(sex)", r.line)
                    continue
                }
                codes[d] = code
            } else if sex != "Total" {
                skip("a breakdown by sex the table \(table.id) does not take", r.line)
                continue
            }
            guard field("Age") == "Total" else {
                skip("an age group (the tables take adults and juveniles only)", r.line)
                continue
            }
            let value = field("VALUE")
            guard let year = Int(field("Year")), let number = Double(value) else {
                skip("a year or value that is not a number", r.line)
                continue
            }
            let estimated = number.rounded() != number
            byReporter[reporter, default: []].append(
                [reporter, String(year), table.id, target.variable] + codes
                    + [value, estimated ? ObservationStatus.estimated.rawValue : "", "UNODC \(file.split(separator: "/").last ?? "") line \(r.line)"])
            figures += 1
        }
        returns = byReporter.keys.sorted().map { reporter in
            EurostatImport.Return(
                reporter: reporter,
                rows: byReporter[reporter]!.sorted { ($0[1], $0[2], $0[3], $0[4...].joined()) < ($1[1], $1[2], $1[3], $1[4...].joined()) })
        }
    }
}
