/// Forms countries that report in parts (GBR = GBR_EW + GBR_S + GBR_NI) from their reporting units.
///
/// A country-year-series is formed only when every unit of the country reported a figure for it and the
/// country did not report it itself; the result is marked derived, with status E if any part is an
/// estimate. Pure.
public enum Composites {
    /// The derived observations of `observations`, sorted by reporter, series and year.
    public static func derive(_ observations: [Observation], units: [CountryRegistry.ReportingUnit]) -> [Observation] {
        var collector = Collector(units: units)
        for i in observations.indices { collector.add(observations[i]) }
        return collector.derived()
    }

    /// Takes observations one at a time, in any order, and keeps only those of countries that report in
    /// parts: memory grows with those, not with all observations. `derived()` then forms the countries.
    public struct Collector: Sendable {
        struct Key: Hashable {
            var country: String
            var year: Int
            var series: String
        }
        private let unitsByCountry: [String: Set<String>]
        private var direct = Set<Key>()
        private var parts: [Key: [Observation]] = [:]
        // A run of one country's observations is looked up once.
        private var last: (iso3: String, codes: Set<String>?)?

        public init(units: [CountryRegistry.ReportingUnit]) {
            unitsByCountry = Dictionary(grouping: units, by: \.country).mapValues { Set($0.map(\.code)) }
        }

        /// Looks at one observation; only countries that report in parts cost anything.
        public mutating func add(_ o: borrowing Observation) {
            guard !unitsByCountry.isEmpty else { return }
            if last?.iso3 != o.iso3 { last = (o.iso3, unitsByCountry[o.iso3]) }
            guard let codes = last!.codes else { return }
            let key = Key(country: o.iso3, year: o.year, series: o.seriesKey)
            if o.reporter == o.iso3 {
                direct.insert(key)
            } else if codes.contains(o.reporter), o.value != nil {
                parts[key, default: []].append(copy o)
            }
        }

        /// The observations formed from every part seen, sorted by reporter, series and year.
        public func derived() -> [Observation] {
            var derived: [Observation] = []
            for (key, found) in parts where !direct.contains(key) {
                guard let needed = unitsByCountry[key.country], Set(found.map(\.reporter)) == needed,
                    found.count == needed.count
                else { continue }
                let first = found[0]
                derived.append(
                    Observation(
                        reporter: key.country, iso3: key.country, m49: first.m49, year: key.year,
                        indicator: first.indicator, series: first.series, iccs: first.iccs,
                        breakdown: first.breakdown, value: found.reduce(0) { $0 + ($1.value ?? 0) },
                        status: found.contains { $0.status == .estimated } ? .estimated : .normal, derived: true))
            }
            return derived.sorted { ($0.reporter, $0.seriesKey, $0.year) < ($1.reporter, $1.seriesKey, $1.year) }
        }
    }
}
