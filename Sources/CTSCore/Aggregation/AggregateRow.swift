/// One group-year of one series in a trend table.
///
/// A table has hundreds of thousands of rows, so a row is kept small (112 bytes): what all the rows of a
/// series or of a group share is held once, by reference, and the optional figures are stored as NaN when
/// absent.
public struct AggregateRow: Sendable, Equatable {
    public enum Publication: String, Sendable, Codable {
        case published
        /// The countries that reported cover too little of the group's population.
        case lowCoverage = "suppressed-low-coverage"
        /// No country of the group, nor of its imputation groups, reported.
        case noData = "suppressed-no-data"
    }

    /// What every row of one series has in common: indicator, series, ICCS code and breakdown.
    public final class Series: Sendable, Hashable {
        public let indicator: String
        public let series: String
        public let iccs: ICCSCode?
        public let breakdown: String

        public init(indicator: String, series: String, iccs: ICCSCode?, breakdown: String) {
            self.indicator = indicator
            self.series = series
            self.iccs = iccs
            self.breakdown = breakdown
        }

        public static func == (a: Series, b: Series) -> Bool {
            a === b || (a.indicator, a.series, a.iccs, a.breakdown) == (b.indicator, b.series, b.iccs, b.breakdown)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(indicator)
            hasher.combine(series)
            hasher.combine(iccs)
            hasher.combine(breakdown)
        }
    }

    /// What every row of one group has in common: its kind, code and name.
    public final class Group: Sendable, Hashable {
        public let kind: CountryGroup.Kind
        public let code: String
        public let name: String

        public init(_ group: CountryGroup) {
            kind = group.kind
            code = group.code
            name = group.name
        }

        public static func == (a: Group, b: Group) -> Bool {
            a === b || (a.kind, a.code, a.name) == (b.kind, b.code, b.name)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(kind)
            hasher.combine(code)
            hasher.combine(name)
        }
    }

    /// One of each label object among `labels`, in the order first met (labels with equal texts may still
    /// be separate objects). Rows share labels, so this touches no text; a label repeated from the one
    /// before (rows of a series come in runs of years) is not looked up again. Inlinable, so that callers
    /// in other modules get it specialized to their sequence (generic, it cost 1,500 instructions a row).
    @inlinable public static func distinct<Label: AnyObject>(_ labels: some Sequence<Label>) -> [Label] {
        var seen = Set<ObjectIdentifier>()
        var last: ObjectIdentifier?
        return labels.filter { label in
            let id = ObjectIdentifier(label)
            if id == last { return false }
            last = id
            return seen.insert(id).inserted
        }
    }

    /// The row's series (shared with the other rows of the series).
    public let seriesLabel: Series
    /// The row's group (shared with the other rows of the group).
    public let groupLabel: Group
    private var storedTotal: Double
    private var storedRate: Double
    private var storedLow: Double
    private var storedHigh: Double
    /// The total as computed, published or not (used to check the tables add up).
    public var computedTotal: Double
    public var population: Double
    /// Share (0–100) of the group's population living in countries that reported.
    public var coverage: Double
    /// Share (0–100) of the total that was interpolated, carried or imputed.
    public var imputedShare: Double
    private var storedIndex: Double
    private var storedChange: Double
    // Years (1900–2100) and counts of a group's countries fit 16 bits.
    private var storedYear: Int16
    private var storedCountries: Int16
    private var storedReporting: Int16
    private var storedElsewhere: Int16
    /// 0 when the series has no base year.
    private var storedBaseYear: Int16
    /// A when every figure was reported as a normal value, E when imputation or an estimate is in it.
    public var status: ObservationStatus?
    public var publication: Publication

    public init(
        group: Group, series: Series, year: Int, total: Double?, rate: Double?,
        bounds: (low: Double, high: Double)? = nil, computedTotal: Double,
        population: Double, countries: Int, reporting: Int, elsewhere: Int = 0, coverage: Double,
        imputedShare: Double, index: Double?, change: Double?, status: ObservationStatus?, publication: Publication,
        baseYear: Int? = nil
    ) {
        groupLabel = group
        seriesLabel = series
        storedTotal = total ?? .nan
        storedRate = rate ?? .nan
        storedLow = bounds?.low ?? .nan
        storedHigh = bounds?.high ?? .nan
        self.computedTotal = computedTotal
        self.population = population
        self.coverage = coverage
        self.imputedShare = imputedShare
        storedIndex = index ?? .nan
        storedChange = change ?? .nan
        storedYear = Int16(clamping: year)
        storedCountries = Int16(clamping: countries)
        storedReporting = Int16(clamping: reporting)
        storedElsewhere = Int16(clamping: elsewhere)
        storedBaseYear = Int16(clamping: baseYear ?? 0)
        self.status = status
        self.publication = publication
    }

    public var group: CountryGroup.Kind { groupLabel.kind }
    public var groupCode: String { groupLabel.code }
    public var groupName: String { groupLabel.name }
    public var indicator: String { seriesLabel.indicator }
    public var series: String { seriesLabel.series }
    public var iccs: ICCSCode? { seriesLabel.iccs }
    public var breakdown: String { seriesLabel.breakdown }
    public var year: Int { Int(storedYear) }
    /// Member countries with a population for the year, and those that reported a figure.
    public var countries: Int { Int(storedCountries) }
    public var reporting: Int { Int(storedReporting) }
    /// Member countries whose figure is counted in another category (status K): 0 here, not reporting.
    public var elsewhere: Int { Int(storedElsewhere) }
    /// The year whose rate is the series' index 100, the same for every group of a series.
    public var baseYear: Int? {
        get { storedBaseYear == 0 ? nil : Int(storedBaseYear) }
        set { storedBaseYear = Int16(clamping: newValue ?? 0) }
    }

    /// The total and rate as published (nil when suppressed).
    public var total: Double? { storedTotal.isNaN ? nil : storedTotal }
    public var rate: Double? { storedRate.isNaN ? nil : storedRate }
    /// How low and how high the published total may be (docs/METHODOLOGY.md, "Uncertainty").
    public var totalLow: Double? { storedTotal.isNaN || storedLow.isNaN ? nil : storedLow }
    public var totalHigh: Double? { storedTotal.isNaN || storedHigh.isNaN ? nil : storedHigh }
    /// The bounds as rates per 100,000.
    public var rateLow: Double? { totalLow.flatMap { population > 0 ? $0 / population * 100_000 : nil } }
    public var rateHigh: Double? { totalHigh.flatMap { population > 0 ? $0 / population * 100_000 : nil } }
    /// The rate against the base year's rate (= 100), and its change from the year before, in percent.
    public var index: Double? {
        get { storedIndex.isNaN ? nil : storedIndex }
        set { storedIndex = newValue ?? .nan }
    }
    public var change: Double? {
        get { storedChange.isNaN ? nil : storedChange }
        set { storedChange = newValue ?? .nan }
    }

    /// Publishes the computed total of a row held back for low coverage (its parts' siblings are
    /// published: `Aggregator.publishTogether`), as an estimate.
    mutating func publish(estimated: Bool) {
        storedTotal = computedTotal
        storedRate = population > 0 ? computedTotal / population * 100_000 : .nan
        status = estimated ? .estimated : status
        publication = .published
    }

    public static func == (a: AggregateRow, b: AggregateRow) -> Bool {
        a.seriesLabel == b.seriesLabel && a.groupLabel == b.groupLabel && a.year == b.year && a.total == b.total
            && a.rate == b.rate && a.totalLow == b.totalLow && a.totalHigh == b.totalHigh
            && a.computedTotal == b.computedTotal && a.population == b.population
            && a.countries == b.countries && a.reporting == b.reporting && a.elsewhere == b.elsewhere
            && a.baseYear == b.baseYear && a.coverage == b.coverage
            && a.imputedShare == b.imputedShare && a.index == b.index && a.change == b.change
            && a.status == b.status && a.publication == b.publication
    }
}
