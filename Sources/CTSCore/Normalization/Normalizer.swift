/// Turns validated return cells into observations: ISO3 and M49 codes, indicator, ICCS code and level,
/// breakdown codes. Pure.
public struct Normalizer: Sendable {
    public var questionnaire: Questionnaire
    public var countries: CountryRegistry
    /// The reporter's correspondence table, for tables of national offence categories.
    public var correspondence: Correspondence?

    public init(questionnaire: Questionnaire, countries: CountryRegistry, correspondence: Correspondence? = nil) {
        self.questionnaire = questionnaire
        self.countries = countries
        self.correspondence = correspondence
    }

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
        guard !cell.isWithdrawal, let table = questionnaire.table(cell.key.table) else { return ([], nil) }
        let iso3: String
        switch countries.check(cell.key.country) {
        case .country(let c): iso3 = c.iso3
        case .reportingUnit(let u): iso3 = u.country
        case .rejected: return ([], nil)
        }
        let base = Observation(
            reporter: cell.key.country, iso3: iso3, m49: countries.country(iso3)?.m49 ?? "", year: cell.key.year,
            indicator: table.indicator, series: table.id + "." + cell.key.variable, iccs: nil,
            breakdown: Observation.breakdownText(dimensions: questionnaire.dimensionIDs, codes: cell.key.breakdown),
            value: cell.value, status: cell.status)
        if table.nationalCategories {
            guard let correspondence else { return ([], nil) }
            let code = cell.key.variable
            let (outcome, parts) = correspondence.map(nationalCode: code, value: cell.value)
            let mapping = NationalMapping(
                nationalCode: code, label: correspondence.entries[code]?.label ?? "", outcome: outcome, parts: parts)
            let observations = parts.map { part in
                var o = base
                o.series = table.id
                o.iccs = part.code
                o.value = part.value
                o.share = part.share
                o.nationalCode = code
                // A share of a national figure is an estimate of the ICCS figure.
                if part.share < 1 && o.value != nil { o.status = .estimated }
                return o
            }
            return (observations, mapping)
        }
        guard let variable = table.variable(cell.key.variable) else { return ([], nil) }
        var o = base
        o.iccs = variable.iccs
        return ([o], nil)
    }

    /// The observation of a questionnaire variable's cell (not a national category), or nil.
    public func observation(for cell: ReturnCell) -> Observation? {
        let (observations, national) = observations(for: cell)
        return national == nil ? observations.first : nil
    }
}
