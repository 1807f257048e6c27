import CTSCore

/// The reference tables shipped in `reference/`: the ICCS tree and the country codes.
public struct ReferenceData: Sendable {
    public var iccs: ICCSClassification
    public var countries: CountryRegistry

    /// Loads `iccs.csv`, `countries.csv`, `country_aliases.csv` and `reporting_units.csv` from `directory`.
    public static func load(directory: String) throws -> ReferenceData {
        func path(_ name: String) -> String { directory + "/" + name }
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

        let countries = try CSVTable.read(path: path("countries.csv"), required: ["iso3", "iso2", "m49", "name"]).rows
            .map { CountryRegistry.Country(iso3: $0["iso3"]!, iso2: $0["iso2"]!, m49: $0["m49"]!, name: $0["name"]!) }
        let aliases = try CSVTable.read(path: path("country_aliases.csv"), required: ["alias", "iso3", "used_by"]).rows
            .map { CountryRegistry.Alias(alias: $0["alias"]!, iso3: $0["iso3"]!, source: $0["used_by"]!) }
        let units = try CSVTable.read(path: path("reporting_units.csv"), required: ["code", "country", "name"]).rows
            .map { CountryRegistry.ReportingUnit(code: $0["code"]!, country: $0["country"]!, name: $0["name"]!) }
        return ReferenceData(
            iccs: iccs, countries: CountryRegistry(countries: countries, reportingUnits: units, aliases: aliases))
    }
}
