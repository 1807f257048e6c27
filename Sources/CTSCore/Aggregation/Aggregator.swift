/// Builds regional trend tables from country observations: completes each country's series, imputes the
/// countries without a usable figure from the rate of their sub-region's reporters, and adds countries up
/// into every group. Every group total is a sum of the same completed country figures, so the world is
/// the sum of its regions and each region the sum of its sub-regions. Pure.
public struct Aggregator: Sendable {
    public var groups: [CountryGroup]
    public let population: Population
    /// Every country by number: the registry's countries and any other member of a group.
    let countryList: [String]
    let countryNumber: [String: Int]
    /// Each country's population by year, by country number.
    let populationOf: [Population.Country]
    /// The country sets whose reporters' rates fill gaps (each sub-region, each region, the world), as
    /// country numbers.
    let imputationPools: [[Int]]
    /// For each country number, the pools its missing figures are imputed from, nearest first (its
    /// sub-region, its region, the world), as indices into `imputationPools`; nil for a country outside the
    /// registry, whose figures are not used.
    let imputationChains: [[Int]?]
    /// Each group's members as country numbers, so that adding up a group-year reads arrays instead of
    /// hashing country codes.
    let memberNumbers: [[Int]]
    /// Each group's label, shared by all its rows.
    let groupLabels: [AggregateRow.Group]
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
        countryList = Array(Set(chains.keys).union(groups.flatMap(\.members))).sorted()
        let countryNumber = Dictionary(uniqueKeysWithValues: countryList.enumerated().map { ($1, $0) })
        self.countryNumber = countryNumber
        memberNumbers = groups.map { $0.members.map { countryNumber[$0]! } }
        groupLabels = groups.map(AggregateRow.Group.init)
        populationOf = countryList.map { population.country($0) }
        // Pools numbered in the order countries first name them; a pool is known by its members.
        var pools: [[Int]] = []
        var poolIndex: [[Int]: Int] = [:]
        imputationChains = countryList.map { iso3 in
            chains[iso3].map { chain in
                chain.map { members in
                    let numbers = members.map { countryNumber[$0]! }
                    if let i = poolIndex[numbers] { return i }
                    pools.append(numbers)
                    poolIndex[numbers] = pools.count - 1
                    return pools.count - 1
                }
            }
        }
        imputationPools = pools
    }

    /// The trend rows for every series in `observations` (countries' own figures; reporting units are
    /// expected to have been formed into their countries already).
    ///
    /// Series of one table, indicator and breakdown are completed together, so that a country's ICCS
    /// parent can be brought up to the sum of its children (0301 ≥ 03011 + 03012) before anything is
    /// added up; every group then keeps that order too.
    public func aggregate(_ observations: [Observation]) -> [AggregateRow] {
        // Observations of one series mostly come one after another (the store's family order): the key
        // text is made once per run of them, not once per observation. Series hold positions in
        // `observations`, so no observation is copied.
        var seriesIndex: [String: Int] = [:]
        var seriesMembers: [[Int]] = []
        var last: Int?
        var current = 0
        for i in observations.indices
        where observations[i].reporter == observations[i].iso3
            && observations[i].value != nil
        {
            if last == nil || !observations[last!].sameSeries(as: observations[i]) {
                let key = observations[i].seriesKey
                current = seriesIndex[key] ?? seriesMembers.count
                if current == seriesMembers.count {
                    seriesIndex[key] = current
                    seriesMembers.append([])
                }
            }
            last = i
            seriesMembers[current].append(i)
        }
        let bySeries = seriesIndex.mapValues { seriesMembers[$0] }
        let families = Dictionary(grouping: bySeries.keys) { Self.family(of: observations[bySeries[$0]![0]]) }
        var rows: [AggregateRow] = []
        rows.reserveCapacity(groups.count * bySeries.count * (observedYearSpan(observations) ?? 1))
        for family in families.keys.sorted() {
            let keys = families[family]!.sorted()
            var low = Int.max
            var high = Int.min
            for key in keys {
                for i in bySeries[key]! {
                    low = min(low, observations[i].year)
                    high = max(high, observations[i].year)
                }
            }
            let years = (options.firstYear ?? low)...(options.lastYear ?? high)
            guard !years.isEmpty else { continue }
            let grid = Grid(years: years, population: populationOf)
            var completed: [String: [CountrySeries.Point?]] = [:]
            for key in keys { completed[key] = complete(bySeries[key]!, of: observations, grid: grid) }
            floorParents(&completed, samples: keys.map { observations[bySeries[$0]![0]] }, grid: grid)
            for key in keys {
                let sample = observations[bySeries[key]![0]]
                let points = completed[key]!
                let label = AggregateRow.Series(
                    indicator: sample.indicator, series: sample.series, iccs: sample.iccs, breakdown: sample.breakdown)
                for g in groups.indices {
                    var groupRows = (0..<years.count).map { y in
                        row(g, year: y, grid: grid, points: points, series: label)
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
        let years: ClosedRange<Int>
        /// Persons, or nil where the population is not known.
        let persons: [Double?]

        /// One country per entry of `population`.
        init(years: ClosedRange<Int>, population: [Population.Country]) {
            self.years = years
            persons = population.flatMap { country in years.map { country.persons($0).map(Double.init) } }
        }

        /// Country-years in the grid.
        var count: Int { persons.count }
    }

    /// One series (`members`, positions in `observations`) completed for every country of the registry,
    /// then imputed, in the grid's layout.
    func complete(_ members: [Int], of observations: [Observation], grid: Grid) -> [CountrySeries.Point?] {
        // Each country's figures by year, the first of a year kept, then completed one country at a time.
        var figures: [(country: Int, year: Int, order: Int, count: Double, estimated: Bool)] = []
        figures.reserveCapacity(members.count)
        for (order, i) in members.enumerated() {
            guard let c = countryNumber[observations[i].iso3], imputationChains[c] != nil else { continue }
            figures.append(
                (c, observations[i].year, order, observations[i].value!, observations[i].status == .estimated))
        }
        figures.sort { ($0.country, $0.year, $0.order) < ($1.country, $1.year, $1.order) }
        let width = grid.years.count
        var points = [CountrySeries.Point?](repeating: nil, count: grid.count)
        var start = 0
        while start < figures.count {
            let country = figures[start].country
            var end = start
            var years: [(year: Int, count: Double, estimated: Bool)] = []
            while end < figures.count && figures[end].country == country {
                let f = figures[end]
                if years.last?.year != f.year { years.append((f.year, f.count, f.estimated)) }
                end += 1
            }
            let persons = populationOf[country]
            CountrySeries.complete(
                years, population: { persons.persons($0) }, years: grid.years, carryYears: options.carryYears,
                into: &points[(country * width)..<(country * width + width)])
            start = end
        }
        impute(&points, grid: grid)
        return points
    }

    /// Raises each country's ICCS parent to the sum of its children where the children add up to more,
    /// deepest parents first; the added amount counts as imputed.
    func floorParents(_ completed: inout [String: [CountrySeries.Point?]], samples: [Observation], grid: Grid) {
        let coded = samples.compactMap { o in o.iccs.map { (id: o.seriesKey, code: $0) } }
        let children = ICCSCode.nearestChildren(coded)
        let codes = Dictionary(uniqueKeysWithValues: coded.map { ($0.id, $0.code) })
        let parents = children.keys.sorted { (codes[$0]!.rawValue.count, $0) > (codes[$1]!.rawValue.count, $1) }
        for parent in parents {
            guard var points = completed.removeValue(forKey: parent) else { continue }
            let childPoints = children[parent]!.compactMap { completed[$0] }
            for i in points.indices {
                guard var point = points[i], let persons = grid.persons[i] else { continue }
                let sum = childPoints.compactMap { $0[i]?.count }.reduce(0, +)
                guard sum > point.count * (1 + 1e-12) else { continue }
                point.adjustment += sum - point.count
                point.count = sum
                point.rate = sum / persons * 100_000
                point.estimated = true
                points[i] = point
            }
            completed[parent] = points
        }
    }

    /// Fills each country-year still without a figure from the rate of the reporters of its nearest
    /// imputation group that has any.
    func impute(_ points: inout [CountrySeries.Point?], grid: Grid) {
        let width = grid.years.count
        // The reporters' rate of each pool and year offset, computed once when first needed, from the
        // figures before any imputation. (Written out in the loop: a nested function capturing the cache
        // would pay a run-time exclusivity check on every use.)
        var rateCache = [Double??](repeating: nil, count: imputationPools.count * width)
        let completed = points
        for (country, chain) in imputationChains.enumerated() {
            guard let chain else { continue }
            for y in 0..<width where completed[country * width + y] == nil {
                guard let persons = grid.persons[country * width + y] else { continue }
                var found: Double? = nil
                for pool in chain {
                    let key = pool * width + y
                    if rateCache[key] == nil {
                        var count = 0.0
                        var pop = 0.0
                        for member in imputationPools[pool] {
                            guard let p = completed[member * width + y], p.source != .imputed,
                                let persons = grid.persons[member * width + y]
                            else { continue }
                            count += p.count
                            pop += persons
                        }
                        rateCache[key] = .some(pop > 0 ? count / pop * 100_000 : nil)
                    }
                    found = rateCache[key]!
                    if found != nil { break }
                }
                guard let rate = found else { continue }
                points[country * width + y] = .init(
                    count: rate * persons / 100_000, rate: rate, source: .imputed, estimated: true)
            }
        }
    }

    /// The row of group number `g` for year `y` (offset into `grid.years`).
    func row(_ g: Int, year y: Int, grid: Grid, points: [CountrySeries.Point?], series: AggregateRow.Series)
        -> AggregateRow
    {
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
        for m in memberNumbers[g] {
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
            group: groupLabels[g], series: series, year: year, total: published ? total : nil,
            rate: published && pop > 0 ? total / pop * 100_000 : nil, computedTotal: total, population: pop,
            countries: countries, reporting: reporting, coverage: coverage * 100,
            imputedShare: total > 0 ? notObserved / total * 100 : 0, index: nil, change: nil,
            status: published ? (anyEstimate ? .estimated : .normal) : nil, publication: publication)
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
