/// Runs the checks that look at several cells of a return at once: duplicates, required variables,
/// breakdown totals, ICCS parents and the questionnaire's rules. Pure: cells in, findings out.
///
/// The checks work on a `CellTable` of packed cells. A reader that keeps cells packed fills the table
/// itself (one country at a time, if it likes: no check looks across countries) and calls `check(_:)`.
public struct Validator: Sendable {
    public var questionnaire: Questionnaire
    /// The reporters' stored figures: what `prev()` uses when the return does not hold the year before, and
    /// what revisions and outliers are found against (`historyChecks`).
    public var history: (any HistoryLookup)?
    /// The populations counts are held against (`magnitudes`); nil: counts are not compared with them.
    public var population: PopulationBound?

    public init(questionnaire: Questionnaire, history: (any HistoryLookup)? = nil, population: PopulationBound? = nil) {
        self.questionnaire = questionnaire
        self.history = history
        self.population = population
    }

    /// Checks `cells` (in file order) and returns the findings in report order.
    public func validate(_ cells: [ReturnCell]) -> [Finding] {
        var table = CellTable(coder: CellCoder(questionnaire: questionnaire), fallback: history)
        var findings: [Finding] = []
        // Every row counts for duplicates; withdrawals carry no figure, so no other check sees them.
        for cell in cells {
            if let first = table.insert(cell) {
                findings.append(Self.duplicate(cell, first: table.cell(at: first)))
            }
        }
        findings += check(table)
        return findings.sorted(by: Finding.reportOrder)
    }

    /// The finding for a second row with the key of `first`.
    public static func duplicate(_ cell: ReturnCell, first: ReturnCell) -> Finding {
        Finding(
            ruleID: "cell.duplicate", severity: .error,
            message: "This cell was already given on line \(first.location.line) "
                + "(\(describeValue(first)), this one \(describeValue(cell))). Keep one row per cell.",
            location: cell.location, cell: cell.key, related: [first.location])
    }

    /// Every check but duplicates on the cells of `table` (the first cell of each key), unsorted.
    public func check(_ table: CellTable) -> [Finding] {
        let countryYears = Self.countryYears(table)
        var findings = requiredVariables(countryYears: countryYears, table: table)
        findings += breakdownTotals(table)
        findings += iccsParents(table)
        findings += rules(table, countryYears: countryYears)
        findings += magnitudes(table)
        findings += historyChecks(table)
        findings += completeness(countryYears: countryYears, table: table)
        return findings
    }

    struct CountryYear: Hashable, Comparable {
        var country: String
        var countryNumber: Int
        var year: Int
        static func < (a: CountryYear, b: CountryYear) -> Bool { (a.country, a.year) < (b.country, b.year) }
    }

    static func countryYears(_ table: CellTable) -> [CountryYear] {
        // Cells come in runs of one country-year: each run is added to the set once.
        var seen = Set<UInt64>()
        var last: UInt64?
        for cell in table.cells where !cell.isWithdrawal && cell.key.head >> 24 != last {
            last = cell.key.head >> 24
            seen.insert(cell.key.head >> 24)
        }
        return seen.map { packed in
            let number = Int(packed >> 16)
            return CountryYear(
                country: table.coder.countries[number], countryNumber: number, year: Int(packed & 0xFFFF))
        }.sorted()
    }

    /// The tables each country-year of `table` reports a figure in (withdrawals do not count), by the
    /// country-year part of the packed key.
    static func coverage(_ table: CellTable) -> [UInt64: Set<Int>] {
        var covered: [UInt64: Set<Int>] = [:]
        var last: (countryYear: UInt64, table: Int)?
        for cell in table.cells where !cell.isWithdrawal {
            let t = table.coder.table(of: cell.key)
            let countryYear = cell.key.head >> 24
            if let last, last.countryYear == countryYear, last.table == t { continue }
            covered[countryYear, default: []].insert(t)
            last = (countryYear, t)
        }
        return covered
    }

    /// Required variables of the tables a country-year reports: a return need not hold every table (a
    /// partial return, a correction), but a table it holds must hold its required variables, or the
    /// store (`fallback`) must hold them already.
    private func requiredVariables(countryYears: [CountryYear], table: CellTable) -> [Finding] {
        var findings: [Finding] = []
        let coder = table.coder
        let covered = Self.coverage(table)
        for cy in countryYears {
            let tables = covered[UInt64(cy.countryNumber) << 16 | UInt64(cy.year & 0xFFFF)] ?? []
            for (t, tab) in questionnaire.tables.enumerated() where tables.contains(t) {
                for variable in tab.variables where variable.required {
                    guard let v = coder.knownNumber(variable: variable.id, table: t) else { continue }
                    let packed = coder.pack(
                        country: cy.countryNumber, year: cy.year, variable: v, breakdown: coder.totalBreakdown[t])
                    if table.position(of: packed) == nil {
                        let key = questionnaire.totalKey(
                            country: cy.country, year: cy.year, table: tab, variable: variable.id)
                        // Held by the store already (a correction need not restate it).
                        if table.fallback?.cell(key) != nil { continue }
                        findings.append(
                            Finding(
                                ruleID: "variable.required", severity: .error,
                                message:
                                    "\(variable.label) (\(tab.id).\(variable.id)) is required but not reported for "
                                    + "\(cy.year). Report the total, or an empty value with status L (not collected) "
                                    + "or M (not applicable).",
                                cell: key))
                    }
                }
            }
        }
        return findings
    }

    private static func describeValue(_ cell: ReturnCell) -> String {
        cell.isWithdrawal ? "withdrawn" : cell.rawValue.isEmpty ? "value empty" : "value \(cell.rawValue)"
    }

    func describe(_ key: CellKey) -> String { key.describe(dimensions: questionnaire.dimensionIDs) }
}
