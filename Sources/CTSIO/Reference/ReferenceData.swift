import CTSCore

/// The reference tables shipped in `reference/`: the ICCS tree, the country codes and the population.
public struct ReferenceData: Sendable {
    public var iccs: ICCSClassification
    public var countries: CountryRegistry
    public var population: Population

    /// The files that make up the reference data, in loading order.
    public static let files = [
        "iccs.csv", "countries.csv", "country_aliases.csv", "reporting_units.csv", "population.csv",
    ]

    /// Loads every file from `directory`; the population table only when `population` is true (checking
    /// returns does not need it, and it is most of the loading time).
    public static func load(directory: String, population: Bool = true) throws -> ReferenceData {
        try load(population: population) { directory + "/" + $0 }
    }

    /// Loads each file from the path `path(name)` gives, checking what each row must hold.
    public static func load(population withPopulation: Bool = true, path: (String) -> String) throws -> ReferenceData {
        let iccsTable = try CSVTable.read(path: path("iccs.csv"), required: ["code", "title"])
        var entries: [ICCSClassification.Entry] = []
        for (row, record) in zip(iccsTable.rows, iccsTable.records) {
            guard let code = ICCSCode(row["code"]!) else {
                throw InputError(
                    "\"\(row["code"]!)\" is not an ICCS code.", code: "reference.invalid",
                    at: SourceLocation(file: iccsTable.file, line: record.line, column: 1))
            }
            entries.append(.init(code: code, title: row["title"]!))
        }
        let iccs = try ICCSClassification(entries: entries)

        let countryTable = try CSVTable.read(path: path("countries.csv"), required: ["iso3", "iso2", "m49", "name"])
        var countries: [CountryRegistry.Country] = []
        for (row, record) in zip(countryTable.rows, countryTable.records) {
            let iso3 = row["iso3"]!
            guard iso3.utf8.count == 3, iso3.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
                throw InputError(
                    "\"\(iso3)\" is not an ISO alpha-3 code.", code: "reference.invalid",
                    at: SourceLocation(file: countryTable.file, line: record.line, column: 1))
            }
            func area(_ code: String, _ name: String) -> CountryRegistry.Area {
                CountryRegistry.Area(code: row[code] ?? "", name: row[name] ?? "")
            }
            countries.append(
                .init(
                    iso3: iso3, iso2: row["iso2"]!, m49: row["m49"]!, name: row["name"]!,
                    region: area("region_code", "region"), subregion: area("subregion_code", "subregion"),
                    intermediate: area("intermediate_code", "intermediate")))
        }
        let aliases = try CSVTable.read(path: path("country_aliases.csv"), required: ["alias", "iso3", "used_by"]).rows
            .map { CountryRegistry.Alias(alias: $0["alias"]!, iso3: $0["iso3"]!, source: $0["used_by"]!) }
        let units = try CSVTable.read(path: path("reporting_units.csv"), required: ["code", "country", "name"]).rows
            .map { CountryRegistry.ReportingUnit(code: $0["code"]!, country: $0["country"]!, name: $0["name"]!) }
        let registry = CountryRegistry(countries: countries, reportingUnits: units, aliases: aliases)

        var population = Population()
        guard withPopulation else { return ReferenceData(iccs: iccs, countries: registry, population: population) }
        let populationTable = try CSVTable.read(path: path("population.csv"), required: ["iso3", "year", "population"])
        for (row, record) in zip(populationTable.rows, populationTable.records) {
            let at = SourceLocation(file: populationTable.file, line: record.line, column: 1)
            guard registry.country(row["iso3"]!) != nil else {
                throw InputError("\(row["iso3"]!) is not in countries.csv.", code: "reference.invalid", at: at)
            }
            guard let year = Int(row["year"]!), let persons = Int(row["population"]!), persons > 0 else {
                throw InputError(
                    "The year and population must be whole numbers, the population above zero.",
                    code: "reference.invalid", at: at)
            }
            guard population.set(row["iso3"]!, year, persons) else {
                throw InputError("\(row["iso3"]!) \(year) is listed twice.", code: "reference.invalid", at: at)
            }
        }
        return ReferenceData(iccs: iccs, countries: registry, population: population)
    }
}
