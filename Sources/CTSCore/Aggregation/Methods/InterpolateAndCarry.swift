/// The default method: a gap between two reported years is interpolated linearly on the rate; years
/// before the first or after the last report carry the nearest reported rate for at most `carryYears`;
/// anything further is left to the sub-region's rate.
public struct InterpolateAndCarry: CompletionMethod {
    public var carryYears: Int
    public var name: String { "interpolate" }
    public var summary: String {
        "rates interpolated between reported years, carried \(carryYears) years beyond them, else the sub-region's rate"
    }

    public init(carryYears: Int) { self.carryYears = carryYears }

    /// O(rates + years).
    public func fill(
        rates: [(year: Int, rate: Double)], years: ClosedRange<Int>, population: (Int) -> Int?,
        into points: inout ArraySlice<CountrySeries.Point?>
    ) {
        guard let first = rates.first, let last = rates.last else { return }
        let base = points.startIndex - years.lowerBound
        // `next` is the first rate after the year being filled.
        var next = 0
        for year in years {
            while next < rates.count && rates[next].year <= year { next += 1 }
            guard points[base + year] == nil, let pop = population(year), pop > 0 else { continue }
            let rate: Double
            let source: CountrySeries.Source
            let away: Int
            if year > first.year && year < last.year {
                let before = rates[next - 1]
                let after = rates[next]
                let t = Double(year - before.year) / Double(after.year - before.year)
                rate = before.rate + t * (after.rate - before.rate)
                source = .interpolated
                away = min(year - before.year, after.year - year)
            } else if year < first.year && first.year - year <= carryYears {
                rate = first.rate
                source = .carried
                away = first.year - year
            } else if year > last.year && year - last.year <= carryYears {
                rate = last.rate
                source = .carried
                away = year - last.year
            } else {
                continue
            }
            points[base + year] = .filled(count: rate * Double(pop) / 100_000, source: source, yearsAway: away)
        }
    }
}
