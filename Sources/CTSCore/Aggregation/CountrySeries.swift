/// One country's figures for one series over the years, completed where they are missing.
///
/// Completion works on the rate per 100,000, by a `CompletionMethod` (by default interpolation between
/// reported years and a few years' carrying); anything it leaves is for the group to impute. A figure
/// with status K (counted in another category) is 0 and filled from nothing: it neither anchors nor is
/// filled. Pure.
public struct CountrySeries: Sendable, Equatable {
    public enum Source: String, Sendable, Codable {
        case observed, interpolated, carried, imputed
        /// Status K: the figure is counted in another category; 0 here, not imputed, not reporting.
        case elsewhere

        /// A figure of the country's own (reported or completed from its own years), which the rate of a
        /// pool of reporters may use.
        public var isOwnFigure: Bool { self != .imputed && self != .elsewhere }
    }

    public struct Point: Sendable, Equatable {
        /// The count; its rate is worked out where the population is at hand (a series holds millions of
        /// points: 16 bytes each).
        public var count: Double
        public var source: Source
        /// True when the figure rests on an estimate (an observed value with status E counts).
        public var estimated: Bool
        /// How much the figure differs from the one reported: raised to its ICCS children, or scaled to its
        /// total (0 if nothing).
        public var adjustment: Double {
            get { Double(storedAdjustment) }
            set { storedAdjustment = Float(newValue) }
        }
        // Single precision: it only says how much of a figure is not as reported (a percentage to one
        // decimal), and a point then takes 16 bytes, not 24 (a set of series holds millions).
        private var storedAdjustment: Float
        /// How low and how high the figure may be, as multiples of `count` (1 and 1 for a reported one;
        /// docs/METHODOLOGY.md, "Uncertainty").
        public var low: Float = 1
        public var high: Float = 1

        public init(count: Double, source: Source, estimated: Bool, adjustment: Double = 0) {
            self.count = count
            self.source = source
            self.estimated = estimated
            storedAdjustment = Float(adjustment)
        }

        /// How much a filled year widens per year of distance from the nearest reported one (5%).
        public static let widening: Float = 0.05

        /// A filled point `years` away from the nearest reported year: ±5% a year (never below 0).
        public static func filled(count: Double, source: Source, yearsAway years: Int) -> Point {
            var point = Point(count: count, source: source, estimated: true)
            point.low = max(0, 1 - widening * Float(years))
            point.high = 1 + widening * Float(years)
            return point
        }
    }

    public var points: [Int: Point] = [:]

    /// Completes `observed` (year → count and whether it is an estimate) for `years`, using `population`
    /// (year → persons), by interpolation and `carryYears` of carrying. Years without population are
    /// left out.
    public static func complete(
        observed: [Int: (count: Double, estimated: Bool)], population: (Int) -> Int?, years: ClosedRange<Int>,
        carryYears: Int
    ) -> CountrySeries {
        var points = [Point?](repeating: nil, count: years.count)
        complete(
            observed.sorted { $0.key < $1.key }.map {
                (year: $0.key, count: $0.value.count, status: $0.value.estimated ? .estimated : .normal)
            },
            population: population, years: years, method: InterpolateAndCarry(carryYears: carryYears),
            into: &points[...])
        var series = CountrySeries()
        for (offset, point) in points.enumerated() { series.points[years.lowerBound + offset] = point }
        return series
    }

    /// Completes `observed` (one entry per year, in year order) for `years` into `points`, whose entry `i`
    /// is the year `years.lowerBound + i` (as `Aggregator` lays a series out, one country after another):
    /// the reported years as they are, the others as `method` fills them. Entries without a figure are
    /// left as they are.
    static func complete(
        _ observed: some Collection<(year: Int, count: Double, status: ObservationStatus)>, population: (Int) -> Int?,
        years: ClosedRange<Int>, method: any CompletionMethod, into points: inout ArraySlice<Point?>
    ) {
        let base = points.startIndex - years.lowerBound
        var rates: [(year: Int, rate: Double)] = []
        rates.reserveCapacity(observed.count)
        for o in observed {
            guard let pop = population(o.year), pop > 0 else { continue }
            if o.status == .includedElsewhere {
                if years.contains(o.year) { points[base + o.year] = Point(count: 0, source: .elsewhere, estimated: false) }
                continue
            }
            rates.append((o.year, o.count / Double(pop) * 100_000))
            if years.contains(o.year) {
                points[base + o.year] = Point(count: o.count, source: .observed, estimated: o.status == .estimated)
            }
        }
        guard !rates.isEmpty else { return }
        method.fill(rates: rates, years: years, population: population, into: &points)
    }
}
