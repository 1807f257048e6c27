/// The population a reporter's counts are held against: a country's own, or for a reporting unit
/// (GBR_EW) its whole country's, an upper bound that still holds.
public struct PopulationBound: Sendable {
    public var population: Population
    public var countries: CountryRegistry

    public init(population: Population, countries: CountryRegistry) {
        self.population = population
        self.countries = countries
    }

    /// The reporter's country and its population by year.
    func of(_ reporter: String) -> (name: String, persons: Population.Country) {
        let iso3 = countries.reportingUnit(reporter)?.country ?? reporter
        return (countries.country(iso3)?.name ?? iso3, population.country(iso3))
    }
}

extension Validator {
    /// Figures no return should hold as they are: a count above the whole population of the reporter's
    /// country in that year (pasted digits, a wrong unit), and an estimate above 0 but below one half,
    /// which counts no one once rounded. Both are warnings: a small territory with many visitors may
    /// record more offences than it has residents. O(cells), one population lookup per country.
    func magnitudes(_ table: CellTable) -> [Finding] {
        var findings: [Finding] = []
        var last: (number: Int, name: String, persons: Population.Country)?
        func flag(_ cell: PackedCell, _ rule: String, _ message: (String) -> String) {
            let c = table.rebuild(cell)
            findings.append(
                Finding(
                    ruleID: rule, severity: .warning, message: message(c.rawValue), location: c.location, cell: c.key))
        }
        for cell in table.cells where !cell.isInvalid && !cell.isWithdrawal && cell.hasValue {
            let value = cell.value
            if cell.status == .estimated, value > 0, value < 0.5 {
                flag(cell, "value.estimate-below-one") {
                    "The estimate \($0) is above 0 but below one half: it counts no one once rounded. Give 0, or "
                        + "the figure in the questionnaire's unit (persons, offences)."
                }
            }
            guard let bound = population else { continue }
            let number = cell.key.country
            if last?.number != number {
                let (name, persons) = bound.of(table.coder.countries[number])
                last = (number, name, persons)
            }
            let year = cell.key.year
            guard let persons = last!.persons.persons(year), value > Double(persons) else { continue }
            flag(cell, "value.above-population") { [name = last!.name] in
                "The value \($0) is more than the whole population of \(name) in \(year) (\(persons)). Check for "
                    + "extra digits or a wrong unit; if it is right, say why in the note."
            }
        }
        return findings
    }
}
