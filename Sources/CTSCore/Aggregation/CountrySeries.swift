/// One country's figures for one series over the years, completed where they are missing.
///
/// Completion works on the rate per 100,000: a gap between two observed years is interpolated linearly;
/// years before the first or after the last observation take the nearest observed rate for at most
/// `carryYears`; anything else is left for the group to impute. Pure.
public struct CountrySeries: Sendable, Equatable {
    public enum Source: String, Sendable, Codable {
        case observed, interpolated, carried, imputed
    }

    public struct Point: Sendable, Equatable {
        public var count: Double
        public var rate: Double
        public var source: Source
        /// True when the figure rests on an estimate (an observed value with status E counts).
        public var estimated: Bool
        /// How much was added to bring an ICCS parent up to the sum of its children (0 if nothing).
        public var adjustment: Double

        public init(count: Double, rate: Double, source: Source, estimated: Bool, adjustment: Double = 0) {
            self.count = count
            self.rate = rate
            self.source = source
            self.estimated = estimated
            self.adjustment = adjustment
        }
    }

    public var points: [Int: Point] = [:]

    /// Completes `observed` (year → count and whether it is an estimate) for `years`, using `population`
    /// (year → persons). Years without population are left out.
    public static func complete(
        observed: [Int: (count: Double, estimated: Bool)], population: (Int) -> Int?, years: ClosedRange<Int>,
        carryYears: Int
    ) -> CountrySeries {
        var series = CountrySeries()
        var rates: [(year: Int, rate: Double)] = []
        for (year, o) in observed.sorted(by: { $0.key < $1.key }) {
            guard let pop = population(year), pop > 0 else { continue }
            let rate = o.count / Double(pop) * 100_000
            rates.append((year, rate))
            if years.contains(year) {
                series.points[year] = Point(count: o.count, rate: rate, source: .observed, estimated: o.estimated)
            }
        }
        guard let first = rates.first, let last = rates.last else { return series }
        for year in years where series.points[year] == nil {
            guard let pop = population(year), pop > 0 else { continue }
            let rate: Double
            let source: Source
            if year > first.year && year < last.year {
                let before = rates.last { $0.year < year }!
                let after = rates.first { $0.year > year }!
                let t = Double(year - before.year) / Double(after.year - before.year)
                rate = before.rate + t * (after.rate - before.rate)
                source = .interpolated
            } else if year < first.year && first.year - year <= carryYears {
                rate = first.rate
                source = .carried
            } else if year > last.year && year - last.year <= carryYears {
                rate = last.rate
                source = .carried
            } else {
                continue
            }
            series.points[year] = Point(
                count: rate * Double(pop) / 100_000, rate: rate, source: source, estimated: true)
        }
        return series
    }
}
