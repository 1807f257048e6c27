/// Resolves the names in a rule reference against a questionnaire, once, for linting and evaluation alike.
public struct ResolvedReference: Sendable, Equatable {
    /// The table the cell is in.
    public var table: String
    /// The variable, or nil for `this` (the cell a `for_each` rule is looking at).
    public var variable: String?
    /// Breakdown codes set explicitly, by questionnaire dimension index.
    public var overrides: [Int: String]
    /// For a named variable, its full breakdown: the table's grand totals with the overrides applied.
    let breakdown: [String]?

    /// The cell the reference points at for one country-year (and, for `this`, one cell).
    public func key(country: String, year: Int, this: CellKey?) -> CellKey? {
        if let variable, let breakdown {
            return CellKey(country: country, year: year, table: table, variable: variable, breakdown: breakdown)
        }
        guard var key = this else { return nil }
        key.year = year
        for (index, code) in overrides { key.breakdown[index] = code }
        return key
    }
}

extension Questionnaire {
    /// Resolves `reference`; the error text says what name is unknown and what would be valid.
    ///
    /// A variable named without its table must be unique across the questionnaire, or belong to the
    /// `for_each` table of the rule.
    public func resolve(_ reference: RuleReference, forEachTable: String?) -> Result<ResolvedReference, NameError> {
        let tableID: String
        var variable: String? = reference.variable
        if reference.isThis {
            guard let forEachTable else {
                return .failure(NameError("\"this\" only has a meaning in a rule with for_each"))
            }
            tableID = forEachTable
            variable = nil
        } else if let named = reference.table {
            guard let table = table(named) else {
                return .failure(
                    NameError("there is no table \"\(named)\"; tables are \(tables.map(\.id).joined(separator: ", "))"))
            }
            guard table.variable(reference.variable) != nil else {
                return .failure(NameError("table \"\(named)\" has no variable \"\(reference.variable)\""))
            }
            tableID = named
        } else if let forEachTable, table(forEachTable)?.variable(reference.variable) != nil {
            tableID = forEachTable
        } else {
            let owners = tables.filter { $0.variable(reference.variable) != nil }.map(\.id)
            switch owners.count {
            case 0: return .failure(NameError("no table has a variable \"\(reference.variable)\""))
            case 1: tableID = owners[0]
            default:
                return .failure(
                    NameError(
                        "\"\(reference.variable)\" is a variable of several tables (\(owners.joined(separator: ", "))); "
                            + "write table.variable"))
            }
        }
        guard let table = table(tableID) else { return .failure(NameError("there is no table \"\(tableID)\"")) }
        var overrides: [Int: String] = [:]
        for selector in reference.selectors {
            guard let index = dimensionIDs.firstIndex(of: selector.dimension), let list = codeLists[safe: index] else {
                return .failure(NameError("there is no breakdown dimension \"\(selector.dimension)\""))
            }
            guard table.breakdowns.contains(selector.dimension) else {
                return .failure(NameError("table \"\(table.id)\" is not broken down by \(selector.dimension)"))
            }
            guard list.contains(selector.code) else {
                let codes = list.codes.map(\.code).joined(separator: ", ")
                return .failure(
                    NameError("\"\(selector.code)\" is not a code of \(selector.dimension); the codes are \(codes)"))
            }
            overrides[index] = selector.code
        }
        let breakdown = variable.map { _ in
            totalBreakdown(of: table).enumerated().map { index, code in overrides[index] ?? code }
        }
        return .success(
            ResolvedReference(table: tableID, variable: variable, overrides: overrides, breakdown: breakdown))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
