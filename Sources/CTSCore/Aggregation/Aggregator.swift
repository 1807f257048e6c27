/// Builds regional trend tables from country observations: completes each country's series, imputes the
/// countries without a usable figure from the rate of their sub-region's reporters, and adds countries up
/// into every group. Every group total is a sum of the same completed country figures, so the world is
/// the sum of its regions and each region the sum of its sub-regions. Pure.
public struct Aggregator: Sendable {
    public var groups: [CountryGroup]
    public let population: Population
    /// Each country's population by year, looked up once per country rather than once per year.
    let populationOf: [String: Population.Country]
    /// The country sets whose reporters' rates fill gaps: each sub-region, each region, the world.
    let imputationPools: [[String]]
    /// For each country, the pools its missing figures are imputed from, nearest first (its sub-region,
    /// its region, the world), as indices into `imputationPools`.
    let imputationChains: [String: [Int]]
    /// Every country by number, and each group's members as numbers, so that adding up a group-year
    /// reads arrays instead of hashing country codes.
    let countryList: [String]
    let memberNumbers: [[Int]]
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
        var pools: [[String]] = []
        var poolIndex: [String: Int] = [:]
        func pool(_ key: String, _ members: [String]) -> Int {
            if let i = poolIndex[key] { return i }
            pools.append(members)
            poolIndex[key] = pools.count - 1
            return pools.count - 1
        }
        var chains: [String: [Int]] = [:]
        for c in countries {
            var chain: [Int] = []
            if !c.subregion.code.isEmpty, let s = bySubregion[c.subregion.code] {
                chain.append(pool("s" + c.subregion.code, s))
            }
            if !c.region.code.isEmpty, let r = byRegion[c.region.code] { chain.append(pool("r" + c.region.code, r)) }
            chain.append(pool("world", world))
            chains[c.iso3] = chain
        }
        imputationPools = pools
        imputationChains = chains
        countryList = Array(Set(chains.keys).union(groups.flatMap(\.members))).sorted()
        let countryNumber = Dictionary(uniqueKeysWithValues: countryList.enumerated().map { ($1, $0) })
        memberNumbers = groups.map { $0.members.map { countryNumber[$0]! } }
        populationOf = Dictionary(uniqueKeysWithValues: countryList.map { ($0, population.country($0)) })
    }

    /// The trend rows for every series in `observations` (countries' own figures; reporting units are
    /// expected to have been formed into their countries already).
    ///
    /// Series of one table, indicator and breakdown are completed together, so that a country's ICCS
    /// parent can be brought up to the sum of its children (0301 ≥ 03011 + 03012) before anything is
    /// added up; every group then keeps that order too.
    public func aggregate(_ observations: [Observation]) -> [AggregateRow] {
        // Observations of one series mostly come one after another (the store's family order): the key
        // text is made once per run of them, not once per observation.
        var seriesIndex: [String: Int] = [:]
        var seriesObservations: [[Observation]] = []
        var last: Observation?
        var current = 0
        for o in observations where o.reporter == o.iso3 && o.value != nil {
            let sameSeries = last.map {
                $0.indicator == o.indicator && $0.series == o.series && $0.iccs == o.iccs && $0.breakdown == o.breakdown
            }
            if sameSeries != true {
                let key = o.seriesKey
                current = seriesIndex[key] ?? seriesObservations.count
                if current == seriesObservations.count {
                    seriesIndex[key] = current
                    seriesObservations.append([])
                }
            }
            last = o
            seriesObservations[current].append(o)
        }
        let bySeries = seriesIndex.mapValues { seriesObservations[$0] }
        let families = Dictionary(grouping: bySeries.keys) { Self.family(of: bySeries[$0]![0]) }
        var rows: [AggregateRow] = []
        rows.reserveCapacity(groups.count * bySeries.count * (observedYearSpan(observations) ?? 1))
        for family in families.keys.sorted() {
            let keys = families[family]!.sorted()
            let observedYears = keys.flatMap { bySeries[$0]!.map(\.year) }
            let years = (options.firstYear ?? observedYears.min()!)...(options.lastYear ?? observedYears.max()!)
            guard !years.isEmpty else { continue }
            var completed: [String: [String: CountrySeries]] = [:]
            for key in keys { completed[key] = complete(bySeries[key]!, years: years) }
            floorParents(&completed, samples: keys.map { bySeries[$0]![0] }, years: years)
            let grid = Grid(countries: countryList, years: years, population: populationOf)
            for key in keys {
                let sample = bySeries[key]![0]
                let points = grid.points(completed[key]!)
                for (g, group) in groups.enumerated() {
                    var groupRows = (0..<years.count).map { y in
                        row(group, members: memberNumbers[g], year: y, grid: grid, points: points, sample: sample)
                    }
                    addIndexAndChange(&groupRows)
                    rows += groupRows
                }
            }
        }
        return rows
    }

    /// The family of an observation's series: indicator, table and breakdown. `aggregate(_:)` completes the
    /// series of a family together; observations of different families never meet, so a caller may
    /// aggregate one family at a time.
    public static func family(of o: Observation) -> String {
        // The table: the series up to its first dot (as the store groups families).
        let table = o.series.utf8.firstIndex(of: UInt8(ascii: ".")).map { o.series[..<$0] } ?? o.series[...]
        return "\(o.indicator)|\(table)|\(o.breakdown)"
    }

    /// Years from the first to the last observed or asked for (an upper bound of the years of a family).
    func observedYearSpan(_ observations: [Observation]) -> Int? {
        guard let low = options.firstYear ?? observations.lazy.map(\.year).min(),
            let high = options.lastYear ?? observations.lazy.map(\.year).max(), low <= high
        else { return nil }
        return high - low + 1
    }

    /// Country-years of one family of series laid out as arrays: entry `country * years.count + year offset`.
    struct Grid {
        let countries: [String]
        let years: ClosedRange<Int>
        /// Persons, or nil where the population is not known.
        let persons: [Double?]

        init(countries: [String], years: ClosedRange<Int>, population: [String: Population.Country]) {
            self.countries = countries
            self.years = years
            persons = countries.flatMap { iso3 in
                let population = population[iso3]
                return years.map { population?.persons($0).map(Double.init) }
            }
        }

        /// A series' completed points in the grid's layout.
        func points(_ completed: [String: CountrySeries]) -> [CountrySeries.Point?] {
            countries.flatMap { iso3 in years.map { completed[iso3]?.points[$0] } }
        }
    }

    /// One series completed and imputed for every country.
    func complete(_ observations: [Observation], years: ClosedRange<Int>) -> [String: CountrySeries] {
        let byCountry = Dictionary(grouping: observations, by: \.iso3)
        var completed: [String: CountrySeries] = [:]
        for iso3 in imputationChains.keys {
            // A country without a figure in this series has nothing to complete (imputation fills it).
            guard byCountry[iso3] != nil else {
                completed[iso3] = CountrySeries()
                continue
            }
            let observed = Dictionary(
                byCountry[iso3, default: []].map { ($0.year, (count: $0.value!, estimated: $0.status == .estimated)) },
                uniquingKeysWith: { a, _ in a })
            let persons = populationOf[iso3]
            completed[iso3] = CountrySeries.complete(
                observed: observed, population: { persons?.persons($0) }, years: years,
                carryYears: options.carryYears)
        }
        impute(&completed, years: years)
        return completed
    }

    /// Raises each country's ICCS parent to the sum of its children where the children add up to more,
    /// deepest parents first; the added amount counts as imputed.
    func floorParents(
        _ completed: inout [String: [String: CountrySeries]], samples: [Observation], years: ClosedRange<Int>
    ) {
        let coded = samples.compactMap { o in o.iccs.map { (id: o.seriesKey, code: $0) } }
        let children = ICCSCode.nearestChildren(coded)
        let codes = Dictionary(uniqueKeysWithValues: coded.map { ($0.id, $0.code) })
        let parents = children.keys.sorted { (codes[$0]!.rawValue.count, $0) > (codes[$1]!.rawValue.count, $1) }
        for parent in parents {
            for iso3 in imputationChains.keys {
                let population = populationOf[iso3]
                for year in years {
                    guard var point = completed[parent]?[iso3]?.points[year],
                        let persons = population?.persons(year)
                    else { continue }
                    let sum = children[parent]!.compactMap { completed[$0]?[iso3]?.points[year]?.count }.reduce(0, +)
                    guard sum > point.count * (1 + 1e-12) else { continue }
                    point.adjustment += sum - point.count
                    point.count = sum
                    point.rate = sum / Double(persons) * 100_000
                    point.estimated = true
                    completed[parent]![iso3]!.points[year] = point
                }
            }
        }
    }

    /// Fills each country-year still without a figure from the rate of the reporters of its nearest
    /// imputation group that has any.
    func impute(_ completed: inout [String: CountrySeries], years: ClosedRange<Int>) {
        // What each pool member adds to its pool's reporters' rate, by member and year offset, read once.
        let width = years.count
        var reported: [String: [(count: Double, persons: Double)?]] = [:]
        for members in imputationPools {
            for m in members where reported[m] == nil {
                let series = completed[m]
                let population = populationOf[m]
                reported[m] = years.map { year in
                    guard let p = series?.points[year], p.source != .imputed,
                        let persons = population?.persons(year)
                    else { return nil }
                    return (p.count, Double(persons))
                }
            }
        }
        let poolMembers = imputationPools.map { $0.map { reported[$0]! } }
        // The reporters' rate of each pool and year, computed once when first needed.
        var rateCache = [Double??](repeating: nil, count: imputationPools.count * width)
        func reportersRate(_ pool: Int, _ year: Int) -> Double? {
            let key = pool * width + (year - years.lowerBound)
            if let cached = rateCache[key] { return cached }
            var count = 0.0
            var pop = 0.0
            for member in poolMembers[pool] {
                guard let r = member[year - years.lowerBound] else { continue }
                count += r.count
                pop += r.persons
            }
            let rate = pop > 0 ? count / pop * 100_000 : nil
            rateCache[key] = .some(rate)
            return rate
        }
        var imputed: [(String, Int, CountrySeries.Point)] = []
        for (iso3, series) in completed {
            let population = populationOf[iso3]
            for year in years where series.points[year] == nil {
                guard let persons = population?.persons(year) else { continue }
                var found: Double? = nil
                for pool in imputationChains[iso3] ?? [] {
                    found = reportersRate(pool, year)
                    if found != nil { break }
                }
                guard let rate = found else { continue }
                imputed.append(
                    (
                        iso3, year,
                        .init(count: rate * Double(persons) / 100_000, rate: rate, source: .imputed, estimated: true)
                    ))
            }
        }
        for (iso3, year, point) in imputed { completed[iso3]?.points[year] = point }
    }

    /// The row of `group` for year `y` (offset into `grid.years`).
    func row(
        _ group: CountryGroup, members: [Int], year y: Int, grid: Grid, points: [CountrySeries.Point?],
        sample: Observation
    ) -> AggregateRow {
        let year = grid.years.lowerBound + y
        let width = grid.years.count
        var total = 0.0
        var notObserved = 0.0
        var pop = 0.0
        var observedPop = 0.0
        var countries = 0
        var reporting = 0
        var anyEstimate = false
        var missing = false
        for m in members {
            guard let persons = grid.persons[m * width + y] else { continue }
            countries += 1
            pop += persons
            guard let p = points[m * width + y] else {
                missing = true
                continue
            }
            total += p.count
            anyEstimate = anyEstimate || p.estimated
            if p.source == .observed {
                reporting += 1
                observedPop += persons
                notObserved += p.adjustment
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
        let base =
            options.baseYear.flatMap { year in rows.first { $0.year == year }?.rate }
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
