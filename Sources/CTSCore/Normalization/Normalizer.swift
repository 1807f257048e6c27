/// Turns validated return cells into observations: ISO3 and M49 codes, indicator, ICCS code and level,
/// breakdown codes. Pure.
public struct Normalizer: Sendable {
    public var questionnaire: Questionnaire
    public var countries: CountryRegistry

    public init(questionnaire: Questionnaire, countries: CountryRegistry) {
        self.questionnaire = questionnaire
        self.countries = countries
    }

    /// The observation for one cell, or nil for a withdrawal or a cell the questionnaire cannot place.
    public func observation(for cell: ReturnCell) -> Observation? {
        guard !cell.isWithdrawal, let table = questionnaire.table(cell.key.table),
            let variable = table.variable(cell.key.variable)
        else { return nil }
        let iso3: String
        switch countries.check(cell.key.country) {
        case .country(let c): iso3 = c.iso3
        case .reportingUnit(let u): iso3 = u.country
        case .rejected: return nil
        }
        return Observation(
            reporter: cell.key.country, iso3: iso3, m49: countries.country(iso3)?.m49 ?? "", year: cell.key.year,
            indicator: table.indicator, series: "\(table.id).\(variable.id)", iccs: variable.iccs,
            breakdown: Observation.breakdownText(dimensions: questionnaire.dimensionIDs, codes: cell.key.breakdown),
            value: cell.value, status: cell.status)
    }
}
