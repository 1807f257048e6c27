/// Turns validated return cells into observations: ISO3 and M49 codes, indicator, ICCS code and level,
/// breakdown codes. Pure.
public struct Normalizer: Sendable {
    public let questionnaire: Questionnaire
    public let countries: CountryRegistry
    /// The reporter's correspondence table, for tables of national offence categories.
    public let correspondence: Correspondence?
    /// What a cell's table gives its observations, by table id, and the questionnaire's dimensions: looked
    /// up for every cell, so made once (a `Table` copied per cell cost a retain and release of each of
    /// its fields).
    private let tables: [String: TableFacts]
    /// The questionnaire's dimension ids (`Questionnaire.dimensionIDs`, made once).
    public let dimensions: [String]
    /// The series a national figure mapped to an ICCS code joins: the questionnaire's own variable of that
    /// code, indicator and breakdowns (`police_offences.theft` for 0502 offences), by
    /// `indicator|iccs|breakdowns`.
    private let standardSeries: [String: String]

    final class TableFacts: Sendable {
        let id: String
        let indicator: String
        let nationalCategories: Bool
        /// Each variable's ICCS code (nil: the variable has none) and series name (`table.variable`).
        let variables: [String: (iccs: ICCSCode?, series: String)]

        init(_ table: Table) {
            id = table.id
            indicator = table.indicator
            nationalCategories = table.nationalCategories
            variables = Dictionary(
                table.variables.map { ($0.id, ($0.iccs, table.id + "." + $0.id)) },
                uniquingKeysWith: { first, _ in first })
        }
    }

    public init(questionnaire: Questionnaire, countries: CountryRegistry, correspondence: Correspondence? = nil) {
        self.questionnaire = questionnaire
        self.countries = countries
        self.correspondence = correspondence
        // The first table of an id, as `Questionnaire.table(_:)` finds it.
        tables = Dictionary(
            questionnaire.tables.map { ($0.id, TableFacts($0)) }, uniquingKeysWith: { first, _ in first })
        dimensions = questionnaire.dimensionIDs
        var standard: [String: String] = [:]
        for table in questionnaire.tables where !table.nationalCategories {
            for v in table.variables {
                guard let code = v.iccs else { continue }
                let key = Self.joinKey(table.indicator, code, table.breakdowns)
                if standard[key] == nil { standard[key] = table.id + "." + v.id }
            }
        }
        standardSeries = standard
        nationalBreakdowns = Dictionary(
            questionnaire.tables.filter(\.nationalCategories).map { ($0.id, $0.breakdowns) },
            uniquingKeysWith: { first, _ in first })
    }

    /// Each national-categories table's breakdowns, by table id.
    private let nationalBreakdowns: [String: [String]]

    static func joinKey(_ indicator: String, _ code: ICCSCode, _ breakdowns: [String]) -> String {
        "\(indicator)|\(code.rawValue)|\(breakdowns.joined(separator: ","))"
    }

    /// Whether the table `id` holds national offence categories (false for a table the questionnaire lacks).
    public func isNationalTable(_ id: String) -> Bool { tables[id]?.nationalCategories ?? false }

    /// What became of a national figure, for the record ingest keeps.
    public struct NationalMapping: Sendable, Equatable {
        public var nationalCode: String
        public var label: String
        public var outcome: Correspondence.Outcome
        public var parts: [Correspondence.Part]
    }

    /// The observations for one cell (none for a withdrawal, a cell the questionnaire cannot place, or a
    /// national figure without a mapping) and, for a national figure, what the mapping did with it.
    public func observations(for cell: ReturnCell) -> (observations: [Observation], national: NationalMapping?) {
        guard !cell.isWithdrawal else { return ([], nil) }
        return observations(
            for: cell, breakdown: Observation.breakdownText(dimensions: dimensions, codes: cell.key.breakdown))
    }

    /// `observations(for:)` with the cell's breakdown text made already (`Observation.breakdownText`), as
    /// ingest does once for all the cells of one variable and breakdown.
    public func observations(for cell: ReturnCell, breakdown: String) -> (
        observations: [Observation], national: NationalMapping?
    ) {
        guard !cell.isWithdrawal, let table = tables[cell.key.table] else { return ([], nil) }
        guard let place = countries.place(cell.key.country) else { return ([], nil) }
        if !table.nationalCategories {
            guard let variable = table.variables[cell.key.variable] else { return ([], nil) }
            // The series is `table.variable` (made once). Made in place: a copy of an observation retains
            // and releases each of its texts.
            return (
                [
                    Observation(
                        reporter: cell.key.country, iso3: place.iso3, m49: place.m49, year: cell.key.year,
                        indicator: table.indicator, series: variable.series, iccs: variable.iccs,
                        breakdown: breakdown, value: cell.value, status: cell.status)
                ], nil
            )
        }
        // A national category: its figure goes to each ICCS category its correspondence maps it to.
        guard let correspondence else { return ([], nil) }
        let code = cell.key.variable
        let base = Observation(
            reporter: cell.key.country, iso3: place.iso3, m49: place.m49, year: cell.key.year,
            indicator: table.indicator, series: table.id, iccs: nil, breakdown: breakdown, value: cell.value,
            status: cell.status)
        let (outcome, parts) = correspondence.map(nationalCode: code, value: cell.value)
        let mapping = NationalMapping(
            nationalCode: code, label: correspondence.entries[code]?.label ?? "", outcome: outcome, parts: parts)
        let breakdowns = nationalBreakdowns[table.id] ?? []
        let observations = parts.map { part in
            var o = base
            o.iccs = part.code
            // The figure joins the questionnaire's series of its ICCS code, or of the nearest code above it
            // the questionnaire asks for (a figure of 070111 counts in 0701 fraud), so that the country
            // counts in the regional totals; a code with none above it stays in the national series.
            var above: ICCSCode? = part.code
            while let c = above {
                if let joined = standardSeries[Self.joinKey(table.indicator, c, breakdowns)] {
                    o.series = joined
                    o.iccs = c
                    break
                }
                above = c.parent
            }
            o.value = part.value
            o.share = part.share
            o.nationalCode = code
            // A share of a national figure is an estimate of the ICCS figure.
            if part.share < 1 && o.value != nil { o.status = .estimated }
            return o
        }
        return (observations, mapping)
    }

    /// The observation of a questionnaire variable's cell (not a national category), or nil.
    public func observation(for cell: ReturnCell) -> Observation? {
        let (observations, national) = observations(for: cell)
        return national == nil ? observations.first : nil
    }
}
