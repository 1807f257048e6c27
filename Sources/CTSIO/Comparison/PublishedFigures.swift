import CTSCore

/// Reads a table of published figures to set against ours (`cts compare`), in one of two layouts:
///
/// - **long**: columns `group_code`, `year`, `series`, `value`, and optionally `sex` (default `_T`) and
///   `measure` (`total`, the default, or `rate`). M49 codes that lost their leading zeros (`1`, `19`) are
///   read as `001`, `019`.
/// - **UNODC's data portal** (`Iso3_code`, `Indicator`, `Dimension`, `Category`, `Sex`, `Age`, `Year`,
///   `Unit of measurement`, `VALUE`): the rows of UNODC's regional groups (`WORLD`, `BIG5_AFR`,
///   `M49_SUB_S_AFR`, ...; `UNODCGroups`) for homicide victims, by total or sex, counts or rates.
///   Other rows (countries, other indicators or dimensions) are counted as passed over.
public struct PublishedFigures: Sendable {
    public var figures: [Reconciliation.Published]
    /// Rows not read as figures, with why, by reason (e.g. "a country, not a group": 4,012).
    public var passedOver: [String: Int]
    public var layout: String

    public static func read(path: String) throws -> PublishedFigures {
        let table = try CSVTable.read(path: path, required: [])
        if table.header.contains("Iso3_code") && table.header.contains("Unit of measurement") {
            return try unodc(table)
        }
        return try long(table)
    }

    static func column(_ table: CSVTable, _ name: String) throws -> Int {
        guard let i = table.header.firstIndex(of: name) else {
            throw InputError(
                "\(table.file) has no column \(name).", code: "compare.column",
                at: SourceLocation(file: table.file, line: 1, column: 1),
                fix: "Give group_code, year, series and value (and sex, measure if needed), or UNODC's data-portal export as it is.")
        }
        return i
    }

    /// The error for field `column` of `record`, located there.
    static func problem(
        _ message: String, code: String, _ table: CSVTable, _ record: CSVRecord, column: Int, fix: String
    ) -> InputError {
        InputError(
            message, code: code,
            at: SourceLocation(file: table.file, line: record.line, column: column + 1, columnName: table.header[column]),
            fix: fix)
    }

    static func number(_ text: String, _ table: CSVTable, _ record: CSVRecord, column: Int) throws -> Double {
        let cleaned = text.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
        guard let value = Double(cleaned), value.isFinite else {
            throw problem(
                "The value \"\(text)\" is not a number.", code: "compare.value", table, record, column: column,
                fix: "Write the figure as digits, e.g. 1234 or 5.6, or leave the row out.")
        }
        return value
    }

    static func year(_ text: String, _ table: CSVTable, _ record: CSVRecord, column: Int) throws -> Int {
        guard let year = Int(text.trimmingCharacters(in: .whitespaces)), AggregationOptions.years.contains(year)
        else {
            throw problem(
                "The year \"\(text)\" is not a year.", code: "compare.year", table, record, column: column,
                fix: "Write a year such as 2015.")
        }
        return year
    }

    static func long(_ table: CSVTable) throws -> PublishedFigures {
        let (g, y, s, v) = (
            try column(table, "group_code"), try column(table, "year"), try column(table, "series"),
            try column(table, "value")
        )
        let sex = table.header.firstIndex(of: "sex")
        let measure = table.header.firstIndex(of: "measure")
        var figures: [Reconciliation.Published] = []
        var passed: [String: Int] = [:]
        for r in table.records {
            let f = r.fields
            if f[v].trimmingCharacters(in: .whitespaces).isEmpty {
                passed["no value", default: 0] += 1
                continue
            }
            var m = Reconciliation.Measure.total
            if let measure {
                guard let read = Reconciliation.Measure(rawValue: f[measure].lowercased()) else {
                    throw problem(
                        "The measure \"\(f[measure])\" is neither total nor rate.", code: "compare.measure", table, r,
                        column: measure, fix: "Write total (a count) or rate (per 100,000 population).")
                }
                m = read
            }
            figures.append(
                .init(
                    group: M49Code.normalized(f[g]), series: f[s], sex: sex.map { f[$0].isEmpty ? "_T" : f[$0] } ?? "_T",
                    year: try year(f[y], table, r, column: y), measure: m, value: try number(f[v], table, r, column: v),
                    line: r.line))
        }
        return PublishedFigures(figures: figures, passedOver: passed, layout: "long")
    }

    static func unodc(_ table: CSVTable) throws -> PublishedFigures {
        let code = try column(table, "Iso3_code")
        let indicator = try column(table, "Indicator")
        let dimension = try column(table, "Dimension")
        let category = try column(table, "Category")
        let sexColumn = try column(table, "Sex")
        let age = try column(table, "Age")
        let y = try column(table, "Year")
        let unit = try column(table, "Unit of measurement")
        let v = try column(table, "VALUE")
        var figures: [Reconciliation.Published] = []
        var passed: [String: Int] = [:]
        for r in table.records {
            let f = r.fields
            guard let group = UNODCGroups.m49[f[code]] else {
                passed["not one of UNODC's regional groups (a country or an unknown code)", default: 0] += 1
                continue
            }
            guard f[indicator].lowercased().hasPrefix("victims of intentional homicide"),
                f[dimension] == "Total", f[category] == "Total", f[age] == "Total"
            else {
                passed["another indicator or breakdown than homicide victims by sex", default: 0] += 1
                continue
            }
            guard let sex = ["Total": "_T", "Male": "M", "Female": "F"][f[sexColumn]] else {
                passed["a sex other than Total, Male, Female", default: 0] += 1
                continue
            }
            let measure: Reconciliation.Measure = f[unit].lowercased().hasPrefix("rate") ? .rate : .total
            figures.append(
                .init(
                    group: group, series: "homicide_victims.homicide", sex: sex, year: try year(f[y], table, r, column: y),
                    measure: measure, value: try number(f[v], table, r, column: v), line: r.line))
        }
        return PublishedFigures(figures: figures, passedOver: passed, layout: "UNODC data portal")
    }
}

/// M49 codes as three digits: a spreadsheet turns `001` into `1`.
public enum M49Code {
    public static func normalized(_ code: String) -> String {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count < 3, trimmed.allSatisfy(\.isASCIIDigit) else { return trimmed }
        return String(repeating: "0", count: 3 - trimmed.count) + trimmed
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// UNODC's data-portal codes for its regional groups, as M49 codes (the groups cts aggregates into).
public enum UNODCGroups {
    public static let m49: [String: String] = [
        "WORLD": "001",
        "BIG5_AFR": "002", "BIG5_AMER": "019", "BIG5_ASIA": "142", "BIG5_EUR": "150", "BIG5_OECANIA": "009",
        "BIG5_OCEANIA": "009",
        "M49_N_AFR": "015", "M49_SUB_S_AFR": "202", "M49_L_AM_CAR": "419", "M49_N_AMER": "021",
        "M49_C_ASIA": "143", "M49_E_ASIA": "030", "M49_SE_ASIA": "035", "M49_S_ASIA": "034", "M49_W_ASIA": "145",
        "M49_E_EUR": "151", "M49_N_EUR": "154", "M49_SE_EUR": "039", "M49_S_EUR": "039", "M49_W_EUR": "155",
        "M49_AUS_NZL": "053", "M49_MELAN": "054", "M49_MICRON": "057", "M49_POLYN": "061",
    ]
}
