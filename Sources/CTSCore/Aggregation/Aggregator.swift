/// Builds regional trend tables from country observations: completes each country's series, imputes the
/// countries without a usable figure from the rate of their sub-region's reporters, and adds countries up
/// into every group. Every group total is a sum of the same completed country figures, so the world is
/// the sum of its regions and each region the sum of its sub-regions. Pure.
public struct Aggregator: Sendable {
    public var groups: [CountryGroup]
    public var population: Population
    /// For each country, where its missing figures are imputed from, nearest first (its sub-region, its
    /// region, the world).
    public var imputationGroups: [String: [[String]]]
    public var options: AggregationOptions

    public init(
        countries: [CountryRegistry.Country], population: Population, custom: [CountryGroup] = [],
        options: AggregationOptions = AggregationOptions()
    ) {
        let m49 = CountryGroup.m49Groups(countries)
        self.groups = m49 + custom
        self.population = population
        self.options = options
        let world = countries.map(\.iso3)
        let bySubregion = Dictionary(grouping: countries, by: \.subregion.code).mapValues { $0.map(\.iso3) }
        let byRegion = Dictionary(grouping: countries, by: \.region.code).mapValues { $0.map(\.iso3) }
        var chains: [String: [[String]]] = [:]
        for c in countries {
            var chain: [[String]] = []
            if !c.subregion.code.isEmpty, let s = bySubregion[c.subregion.code] { chain.append(s) }
            if !c.region.code.isEmpty, let r = byRegion[c.region.code] { chain.append(r) }
            chain.append(world)
            chains[c.iso3] = chain
        }
        imputationGroups = chains
    }

    /// The trend rows for every series in `observations` (countries' own figures; reporting units are
    /// expected to have been formed into their countries already).
    public func aggregate(_ observations: [Observation]) -> [AggregateRow] {
        let countryRows = observations.filter { $0.reporter == $0.iso3 && $0.value != nil }
        let bySeries = Dictionary(grouping: countryRows, by: \.seriesKey)
        var rows: [AggregateRow] = []
        for key in bySeries.keys.sorted() {
            rows += aggregate(series: bySeries[key]!)
        }
        return rows
    }

    func aggregate(series observations: [Observation]) -> [AggregateRow] {
        let sample = observations[0]
        let observedYears = observations.map(\.year)
        let years = (options.firstYear ?? observedYears.min()!)...(options.lastYear ?? observedYears.max()!)
        guard !years.isEmpty else { return [] }
        let byCountry = Dictionary(grouping: observations, by: \.iso3)
        var completed: [String: CountrySeries] = [:]
        for (iso3, chain) in imputationGroups where chain.count > 0 {
            let observed = Dictionary(
                byCountry[iso3, default: []].map { ($0.year, (count: $0.value!, estimated: $0.status == .estimated)) },
                uniquingKeysWith: { a, _ in a })
            completed[iso3] = CountrySeries.complete(
                observed: observed, population: { population.persons(iso3, $0) }, years: years,
                carryYears: options.carryYears)
        }
        impute(&completed, years: years)
        var rows: [AggregateRow] = []
        for group in groups {
            var groupRows: [AggregateRow] = []
            for year in years {
                groupRows.append(row(group, year: year, completed: completed, sample: sample))
            }
            addIndexAndChange(&groupRows)
            rows += groupRows
        }
        return rows
    }

    /// Fills each country-year still without a figure from the rate of the reporters of its nearest
    /// imputation group that has any.
    func impute(_ completed: inout [String: CountrySeries], years: ClosedRange<Int>) {
        var rateCache: [[String]: [Int: Double?]] = [:]
        func reportersRate(_ members: [String], _ year: Int) -> Double? {
            if let cached = rateCache[members]?[year] { return cached }
            var count = 0.0
            var pop = 0.0
            for m in members {
                guard let p = completed[m]?.points[year], p.source != .imputed,
                    let persons = population.persons(m, year)
                else { continue }
                count += p.count
                pop += Double(persons)
            }
            let rate = pop > 0 ? count / pop * 100_000 : nil
            rateCache[members, default: [:]][year] = .some(rate)
            return rate
        }
        var imputed: [(String, Int, CountrySeries.Point)] = []
        for (iso3, series) in completed {
            for year in years where series.points[year] == nil {
                guard let persons = population.persons(iso3, year) else { continue }
                var found: Double? = nil
                for members in imputationGroups[iso3] ?? [] {
                    found = reportersRate(members, year)
                    if found != nil { break }
                }
                guard let rate = found else { continue }
                imputed.append(
                    (iso3, year,
                     .init(count: rate * Double(persons) / 100_000, rate: rate, source: .imputed, estimated: true)))
            }
        }
        for (iso3, year, point) in imputed { completed[iso3]?.points[year] = point }
    }

    func row(_ group: CountryGroup, year: Int, completed: [String: CountrySeries], sample: Observation) -> AggregateRow {
        var total = 0.0
        var notObserved = 0.0
        var pop = 0.0
        var observedPop = 0.0
        var countries = 0
        var reporting = 0
        var anyEstimate = false
        var missing = false
        for m in group.members {
            guard let persons = population.persons(m, year) else { continue }
            countries += 1
            pop += Double(persons)
            guard let p = completed[m]?.points[year] else {
                missing = true
                continue
            }
            total += p.count
            anyEstimate = anyEstimate || p.estimated
            if p.source == .observed {
                reporting += 1
                observedPop += Double(persons)
            } else {
                notObserved += p.count
            }
        }
        let coverage = pop > 0 ? observedPop / pop : 0
        let publication: AggregateRow.Publication =
            missing ? .noData : coverage + 1e-12 < options.coverageThreshold ? .lowCoverage : .published
        let published = publication == .published
        return AggregateRow(
            group: group.kind, groupCode: group.code, groupName: group.name, indicator: sample.indicator,
            series: sample.series, iccs: sample.iccs, breakdown: sample.breakdown, year: year,
            total: published ? total : nil, rate: published && pop > 0 ? total / pop * 100_000 : nil,
            computedTotal: total, population: pop, countries: countries, reporting: reporting,
            coverage: coverage * 100, imputedShare: total > 0 ? notObserved / total * 100 : 0, index: nil,
            change: nil, status: published ? (anyEstimate ? .estimated : .normal) : nil, publication: publication)
    }

    /// Index (base year = 100) and change from the year before, both on the rate, for published years.
    func addIndexAndChange(_ rows: inout [AggregateRow]) {
        let base = options.baseYear.flatMap { year in rows.first { $0.year == year }?.rate }
            ?? (options.baseYear == nil ? rows.first { $0.rate != nil }?.rate : nil)
        for i in rows.indices {
            guard let rate = rows[i].rate else { continue }
            if let base, base > 0 { rows[i].index = rate / base * 100 }
            if i > 0, let previous = rows[i - 1].rate, previous > 0 {
                rows[i].change = (rate - previous) / previous * 100
            }
        }
    }
}
