/// Runs the checks that look at several cells of a return at once: duplicates, required variables,
/// breakdown totals, ICCS parents and the questionnaire's rules. Pure: cells in, findings out.
public struct Validator: Sendable {
    public var questionnaire: Questionnaire
    /// Earlier figures (e.g. from the store) that `prev()` may use when the return does not hold them.
    public var history: (any CellLookup)?

    public init(questionnaire: Questionnaire, history: (any CellLookup)? = nil) {
        self.questionnaire = questionnaire
        self.history = history
    }

    /// Checks `cells` (in file order) and returns the findings in report order.
    public func validate(_ cells: [ReturnCell]) -> [Finding] {
        var index = CellIndex(fallback: history, capacity: cells.count)
        var findings: [Finding] = []
        // Every row counts for duplicates; withdrawals carry no figure, so no other check sees them.
        for cell in cells {
            if let firstPosition = index.insert(cell) {
                let first = index.storage[firstPosition]
                findings.append(
                    Finding(
                        ruleID: "cell.duplicate", severity: .error,
                        message: "This cell was already given on line \(first.location.line) "
                            + "(\(Self.describeValue(first)), this one \(Self.describeValue(cell))). "
                            + "Keep one row per cell.",
                        location: cell.location, cell: cell.key, related: [first.location]))
            }
        }
        // The first row of each cell; withdrawals have no figure, so the checks pass over them.
        let unique = index.storage
        let countryYears = Self.countryYears(unique)
        findings += requiredVariables(countryYears: countryYears, index: index)
        findings += breakdownTotals(unique, index: index)
        findings += iccsParents(unique, index: index)
        findings += rules(unique, countryYears: countryYears, index: index)
        return findings.sorted(by: Finding.reportOrder)
    }

    struct CountryYear: Hashable, Comparable {
        var country: String
        var year: Int
        static func < (a: CountryYear, b: CountryYear) -> Bool { (a.country, a.year) < (b.country, b.year) }
    }

    static func countryYears(_ cells: [ReturnCell]) -> [CountryYear] {
        Set(cells.lazy.filter { !$0.isWithdrawal }.map { CountryYear(country: $0.key.country, year: $0.key.year) })
            .sorted()
    }

    private func requiredVariables(countryYears: [CountryYear], index: CellIndex) -> [Finding] {
        var findings: [Finding] = []
        for cy in countryYears {
            for table in questionnaire.tables {
                for variable in table.variables where variable.required {
                    let key = questionnaire.totalKey(
                        country: cy.country, year: cy.year, table: table, variable: variable.id)
                    if index.local(key) == nil {
                        findings.append(
                            Finding(
                                ruleID: "variable.required", severity: .error,
                                message:
                                    "\(variable.label) (\(table.id).\(variable.id)) is required but not reported for "
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
