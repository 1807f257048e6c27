/// Our trend figures set against figures published elsewhere (UNODC's regional estimates, a national
/// office's table), group-year by group-year. Pure: rows in, comparison out.
public struct Reconciliation: Sendable {
    /// What is compared: a count or a rate per 100,000.
    public enum Measure: String, Sendable, Codable {
        case total, rate
    }

    /// One published figure: a group (M49 code or custom id), a series, a sex code (`_T` for the total),
    /// a year and a value of one measure.
    public struct Published: Sendable, Equatable {
        public var group: String
        public var series: String
        public var sex: String
        public var year: Int
        public var measure: Measure
        public var value: Double
        /// Where it was read (`file:line`), for messages.
        public var line: Int

        public init(group: String, series: String, sex: String, year: Int, measure: Measure, value: Double, line: Int) {
            self.group = group
            self.series = series
            self.sex = sex
            self.year = year
            self.measure = measure
            self.value = value
            self.line = line
        }
    }

    /// Our figure for a group-year, as the trend table gives it.
    public struct Ours: Sendable, Equatable {
        public var groupName: String
        public var total: Double?
        public var rate: Double?
        public var coverage: Double
        public var imputed: Double

        public init(groupName: String, total: Double?, rate: Double?, coverage: Double, imputed: Double) {
            self.groupName = groupName
            self.total = total
            self.rate = rate
            self.coverage = coverage
            self.imputed = imputed
        }
    }

    /// The key of a group-year of a series and sex.
    public struct Key: Hashable, Sendable, Comparable {
        public var group: String
        public var series: String
        public var sex: String
        public var year: Int

        public init(group: String, series: String, sex: String, year: Int) {
            self.group = group
            self.series = series
            self.sex = sex
            self.year = year
        }

        public static func < (a: Key, b: Key) -> Bool {
            (a.series, a.sex, a.group, a.year) < (b.series, b.sex, b.group, b.year)
        }
    }

    /// One line of the comparison.
    public struct Line: Sendable, Equatable {
        public var key: Key
        public var groupName: String
        public var measure: Measure
        /// Ours: nil when we have no published figure for the group-year.
        public var ours: Double?
        public var theirs: Double
        /// (ours − theirs) / theirs × 100, when both are there and theirs is not 0.
        public var difference: Double?
        public var coverage: Double?
        public var imputed: Double?

        /// Our reporters cover at least `threshold` (percent) of the group's population.
        public func wellCovered(_ threshold: Double) -> Bool { (coverage ?? 0) + 1e-9 >= threshold }
    }

    public var lines: [Line]
    /// Published figures for which our table has no row at all (another group or series).
    public var unmatched: [Published]

    /// Compares `published` with `ours` (by key): every published figure gets a line when the table has
    /// its group-year, in key order then measure.
    public init(published: [Published], ours: [Key: Ours]) {
        var lines: [Line] = []
        var unmatched: [Published] = []
        for p in published {
            let key = Key(group: p.group, series: p.series, sex: p.sex, year: p.year)
            guard let o = ours[key] else {
                unmatched.append(p)
                continue
            }
            let mine = p.measure == .total ? o.total : o.rate
            lines.append(
                Line(
                    key: key, groupName: o.groupName, measure: p.measure, ours: mine, theirs: p.value,
                    difference: mine.flatMap { p.value != 0 ? ($0 - p.value) / p.value * 100 : nil },
                    coverage: o.coverage, imputed: o.imputed))
        }
        self.lines = lines.sorted { ($0.key, $0.measure.rawValue) < ($1.key, $1.measure.rawValue) }
        self.unmatched = unmatched
    }

    /// How many well-covered group-years (coverage ≥ `threshold` percent) of `measure` we publish, and how
    /// many of them lie within ±`tolerance` percent of the published figure.
    public func summary(measure: Measure, threshold: Double, tolerance: Double = 5) -> (within: Int, compared: Int) {
        let compared = lines.filter { $0.measure == measure && $0.wellCovered(threshold) && $0.difference != nil }
        return (compared.count { abs($0.difference!) <= tolerance + 1e-9 }, compared.count)
    }
}
