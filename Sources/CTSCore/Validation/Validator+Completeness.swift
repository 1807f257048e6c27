extension Validator {
    /// What a partial return holds: for each country, the years that lack tables the questionnaire
    /// requires of a yearly return (`Table.required`), as one info finding per country and set of tables
    /// held, naming the tables held and those absent. A return is accepted without them (a correction, a
    /// table sent late); the summary says what the full return still needs. Nothing for a return that
    /// holds every required table.
    func completeness(countryYears: [CountryYear], table: CellTable) -> [Finding] {
        let required = questionnaire.tables.indices.filter { questionnaire.tables[$0].required }
        guard !required.isEmpty else { return [] }
        let covered = Self.coverage(table)
        struct Group: Hashable {
            var country: String
            var held: [Int]
        }
        var years: [Group: [Int]] = [:]
        for cy in countryYears {
            let held = covered[UInt64(cy.countryNumber) << 16 | UInt64(cy.year & 0xFFFF)] ?? []
            guard required.contains(where: { !held.contains($0) }) else { continue }
            years[Group(country: cy.country, held: held.sorted()), default: []].append(cy.year)
        }
        return years.sorted { ($0.key.country, $0.value.first ?? 0) < ($1.key.country, $1.value.first ?? 0) }
            .map { group, years in
                let ids = { (tables: [Int]) in tables.map { questionnaire.tables[$0].id }.joined(separator: ", ") }
                let absent = required.filter { !group.held.contains($0) }
                return Finding(
                    ruleID: "return.completeness", severity: .info,
                    message: "\(group.country) \(Self.yearRanges(years.sorted())): this return holds "
                        + "\(group.held.count) of the \(questionnaire.tables.count) tables (\(ids(group.held))). "
                        + "Required in a yearly return but not in this one: \(ids(absent)). It is accepted as "
                        + "a partial return; send the rest when it is ready.")
            }
    }

    /// "2014–2016, 2019" for [2014, 2015, 2016, 2019].
    static func yearRanges(_ years: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < years.count {
            var j = i
            while j + 1 < years.count && years[j + 1] == years[j] + 1 { j += 1 }
            parts.append(i == j ? "\(years[i])" : "\(years[i])–\(years[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
