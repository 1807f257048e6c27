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
    /// How breakdowns nest (from the questionnaire's code lists): parts are made to add up to totals.
    public let breakdowns: BreakdownTree
    public var options: AggregationOptions

    public init(
        countries: [CountryRegistry.Country], population: Population, custom: [CountryGroup] = [],
        breakdowns: BreakdownTree = .none, options: AggregationOptions = AggregationOptions()
    ) {
        self.breakdowns = breakdowns
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

    /// One country's figure of a series, as `aggregate(family:)` takes it.
    public struct Figure: Sendable {
        // Stored in 16 bytes: a family of a table's every breakdown holds millions of figures.
        private var storedCountry: Int32
        private var storedYear: Int16
        /// The figure; 0 for status M (cannot exist there) and K (counted in another category).
        public var value: Double
        public var status: ObservationStatus

        /// The country's number (`countryNumber(_:)`); -1 for a country outside the registry, whose
        /// figures are not used.
        public var country: Int { Int(storedCountry) }
        public var year: Int { Int(storedYear) }

        /// True for an estimate (status E).
        public var estimated: Bool { status == .estimated }

        public init(country: Int, year: Int, value: Double, status: ObservationStatus) {
            storedCountry = Int32(truncatingIfNeeded: country)
            storedYear = Int16(truncatingIfNeeded: year)
            self.value = value
            self.status = status
        }

        public init(country: Int, year: Int, value: Double, estimated: Bool) {
            self.init(country: country, year: year, value: value, status: estimated ? .estimated : .normal)
        }

        /// The figure an aggregation takes of a value and status, or nil: a value as it is, M as a reported
        /// zero (the phenomenon cannot exist there), K as 0 held apart (its figure sits in another
        /// category); no figure otherwise (L, or an empty value), which the aggregation fills.
        public static func taken(_ value: Double?, status: ObservationStatus) -> Double? {
            if let value { return value }
            return status == .notApplicable || status == .includedElsewhere ? 0 : nil
        }
    }

    /// One series of a family and its figures, in the order they come (of a country and year, the first
    /// is used).
    public struct SeriesFigures: Sendable {
        public var label: AggregateRow.Series
        public var figures: [Figure]

        public init(label: AggregateRow.Series, figures: [Figure] = []) {
            self.label = label
            self.figures = figures
        }

        /// What tells the series apart in a family (as `Observation.seriesKey`).
        public var key: String {
            Observation.seriesKey(
                indicator: label.indicator, series: label.series, iccs: label.iccs, breakdown: label.breakdown)
        }
    }

    /// The number `Figure` gives `iso3`, or -1 for a country outside the registry.
    public func countryNumber(_ iso3: String) -> Int {
        guard let c = countryNumber[iso3], imputationChains[c] != nil else { return -1 }
        return c
    }

    /// The series of `observations` (countries' own figures; reporting units are expected to have been
    /// formed into their countries already) as families for `aggregate(family:)`, in family order: the
    /// input the store's rows give it (`ObservationFamilies.figures`), made from observations.
    public func families(_ observations: [Observation]) -> [[SeriesFigures]] {
        // Observations of one series mostly come one after another (the store's family order): the key
        // text is made once per run of them, not once per observation.
        var seriesIndex: [String: Int] = [:]
        var series: [SeriesFigures] = []
        var last: Int?
        var current = 0
        for i in observations.indices
        where observations[i].reporter == observations[i].iso3
            && Figure.taken(observations[i].value, status: observations[i].status) != nil
        {
            let o = observations[i]
            if last == nil || !observations[last!].sameSeries(as: o) {
                let key = o.seriesKey
                current = seriesIndex[key] ?? series.count
                if current == series.count {
                    seriesIndex[key] = current
                    series.append(
                        SeriesFigures(
                            label: AggregateRow.Series(
                                indicator: o.indicator, series: o.series, iccs: o.iccs, breakdown: o.breakdown)))
                }
            }
            last = i
            series[current].figures.append(
                Figure(
                    country: countryNumber(o.iso3), year: o.year, value: Figure.taken(o.value, status: o.status)!,
                    status: o.status))
        }
        let families = Dictionary(grouping: series.indices) { i in
            Self.family(
                indicator: series[i].label.indicator, series: series[i].label.series,
                breakdown: series[i].label.breakdown)
        }
        return families.keys.sorted().map { families[$0]!.map { series[$0] } }
    }

    /// The family of an observation's series: indicator and table. `aggregate(family:)`
    /// completes the series of a family together; observations of different families never meet, so a caller may
    /// aggregate one family at a time.
    public static func family(of o: Observation) -> String {
        family(indicator: o.indicator, series: o.series, breakdown: o.breakdown)
    }

    static func family(indicator: String, series: String, breakdown: String) -> String {
        // The table: the series up to its first dot (as the store groups families). Every breakdown of a
        // table is one family: parts are made to add up to their totals.
        let table = series.utf8.firstIndex(of: UInt8(ascii: ".")).map { series[..<$0] } ?? series[...]
        return "\(indicator)|\(table)"
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

    /// One series' figures completed for every country of the registry, then imputed, in the grid's
    /// layout.
    func complete(_ figures: [Figure], grid: Grid) -> [CountrySeries.Point?] {
        let method = options.completion
        // Each country's figures by year, the first of a year kept, then completed one country at a time.
        var sorted: [(country: Int, year: Int, order: Int, count: Double, status: ObservationStatus)] = []
        sorted.reserveCapacity(figures.count)
        for (order, f) in figures.enumerated() where f.country >= 0 {
            sorted.append((f.country, f.year, order, f.value, f.status))
        }
        sorted.sort { ($0.country, $0.year, $0.order) < ($1.country, $1.year, $1.order) }
        let width = grid.years.count
        var points = [CountrySeries.Point?](repeating: nil, count: grid.count)
        var start = 0
        while start < sorted.count {
            let country = sorted[start].country
            var end = start
            var years: [(year: Int, count: Double, status: ObservationStatus)] = []
            while end < sorted.count && sorted[end].country == country {
                let f = sorted[end]
                if years.last?.year != f.year { years.append((f.year, f.count, f.status)) }
                end += 1
            }
            let persons = populationOf[country]
            CountrySeries.complete(
                years, population: { persons.persons($0) }, years: grid.years, method: method,
                into: &points[(country * width)..<(country * width + width)])
            start = end
        }
        impute(&points, grid: grid)
        return points
    }

    /// Raises each country's ICCS parent to the sum of its children where the children add up to more,
    /// deepest parents first; the added amount counts as imputed.
    /// `completed` and `codes` are the family's series in key order, each with its ICCS code.
    func floorParents(_ completed: inout [[CountrySeries.Point?]], codes: [ICCSCode?], grid: Grid) {
        let coded = codes.indices.compactMap { i in codes[i].map { (id: i, code: $0) } }
        let children = ICCSCode.nearestChildren(coded)
        // Deepest first; of equal depth, the later key first.
        let parents = children.keys.sorted { (codes[$0]!.rawValue.count, $0) > (codes[$1]!.rawValue.count, $1) }
        for parent in parents {
            var points = completed[parent]
            let childPoints = children[parent]!.map { completed[$0] }
            for i in points.indices {
                guard var point = points[i], grid.persons[i] != nil else { continue }
                let sum = childPoints.compactMap { $0[i]?.count }.reduce(0, +)
                guard sum > point.count * (1 + 1e-12) else { continue }
                point.adjustment += sum - point.count
                point.count = sum
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
        // Its reporters' lowest and highest rate: the bounds of an imputed figure.
        var rangeCache = [(low: Double, high: Double)](repeating: (0, 0), count: imputationPools.count * width)
        let completed = points
        for (country, chain) in imputationChains.enumerated() {
            guard let chain else { continue }
            for y in 0..<width where completed[country * width + y] == nil {
                guard let persons = grid.persons[country * width + y] else { continue }
                var found: (rate: Double, key: Int)? = nil
                for pool in chain {
                    let key = pool * width + y
                    if rateCache[key] == nil {
                        var count = 0.0
                        var pop = 0.0
                        var range = (low: Double.infinity, high: -Double.infinity)
                        for member in imputationPools[pool] {
                            guard let p = completed[member * width + y], p.source.isOwnFigure,
                                let persons = grid.persons[member * width + y], persons > 0
                            else { continue }
                            count += p.count
                            pop += persons
                            let rate = p.count / persons
                            range = (min(range.low, rate), max(range.high, rate))
                        }
                        rateCache[key] = .some(pop > 0 ? count / pop * 100_000 : nil)
                        rangeCache[key] = pop > 0 ? (range.low * 100_000, range.high * 100_000) : (0, 0)
                    }
                    if let rate = rateCache[key]! {
                        found = (rate, key)
                        break
                    }
                }
                guard let (rate, key) = found else { continue }
                var point = CountrySeries.Point(count: rate * persons / 100_000, source: .imputed, estimated: true)
                if rate > 0 {
                    point.low = Float(rangeCache[key].low / rate)
                    point.high = Float(rangeCache[key].high / rate)
                }
                points[country * width + y] = point
            }
        }
    }
}
