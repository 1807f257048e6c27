/// Forms countries that report in parts (GBR = GBR_EW + GBR_S + GBR_NI) from their reporting units.
///
/// A country-year-series is formed only when every unit of the country reported a figure for it and the
/// country did not report it itself; the result is marked derived, with status E if any part is an
/// estimate. Pure.
public enum Composites {
    public static func derive(_ observations: [Observation], units: [CountryRegistry.ReportingUnit]) -> [Observation] {
        let unitsByCountry = Dictionary(grouping: units, by: \.country).mapValues { Set($0.map(\.code)) }
        guard !unitsByCountry.isEmpty else { return [] }
        struct Key: Hashable {
            var country: String
            var year: Int
            var series: String
        }
        var direct = Set<Key>()
        var parts: [Key: [Observation]] = [:]
        // Only countries that report in parts matter: the others are passed over without building a key or
        // copying the observation, and a run of one country is looked up once.
        var last: (iso3: String, codes: Set<String>?)?
        for i in observations.indices {
            if last?.iso3 != observations[i].iso3 {
                last = (observations[i].iso3, unitsByCountry[observations[i].iso3])
            }
            guard let codes = last!.codes else { continue }
            let o = observations[i]
            let key = Key(country: o.iso3, year: o.year, series: o.seriesKey)
            if o.reporter == o.iso3 {
                direct.insert(key)
            } else if codes.contains(o.reporter), o.value != nil {
                parts[key, default: []].append(o)
            }
        }
        var derived: [Observation] = []
        for (key, found) in parts where !direct.contains(key) {
            guard let needed = unitsByCountry[key.country], Set(found.map(\.reporter)) == needed,
                found.count == needed.count
            else { continue }
            let first = found[0]
            derived.append(
                Observation(
                    reporter: key.country, iso3: key.country, m49: first.m49, year: key.year,
                    indicator: first.indicator, series: first.series, iccs: first.iccs, breakdown: first.breakdown,
                    value: found.reduce(0) { $0 + ($1.value ?? 0) },
                    status: found.contains { $0.status == .estimated } ? .estimated : .normal, derived: true))
        }
        return derived.sorted { ($0.reporter, $0.seriesKey, $0.year) < ($1.reporter, $1.seriesKey, $1.year) }
    }
}
