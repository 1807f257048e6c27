import Foundation

/// UNODC's method (Global Study on Homicide 2019, methodological annex): every year a country did not
/// report takes an exponentially weighted average of the rates of **all** the years it did, the weight
/// halving with each year of distance (w = 0.5^|t − s|). Nothing is left for a country with at least one
/// report; a country with none takes its sub-region's rate.
public struct UNODCWeightedAverage: CompletionMethod {
    public var name: String { "unodc" }
    public var summary: String {
        "each missing year an average of all the country's reported rates, weights halving per year of distance; no report: the sub-region's rate"
    }

    public init() {}

    /// O(years × rates).
    public func fill(
        rates: [(year: Int, rate: Double)], years: ClosedRange<Int>, population: (Int) -> Int?,
        into points: inout ArraySlice<CountrySeries.Point?>
    ) {
        guard let first = rates.first, let last = rates.last else { return }
        let base = points.startIndex - years.lowerBound
        for year in years {
            guard points[base + year] == nil, let pop = population(year), pop > 0 else { continue }
            var weighted = 0.0
            var weights = 0.0
            var away = Int.max
            for r in rates {
                away = min(away, abs(year - r.year))
                let w = pow(0.5, Double(abs(year - r.year)))
                weighted += w * r.rate
                weights += w
            }
            guard weights > 0 else { continue }
            let source: CountrySeries.Source = year > first.year && year < last.year ? .interpolated : .carried
            points[base + year] = .filled(
                count: weighted / weights * Double(pop) / 100_000, source: source, yearsAway: away)
        }
    }
}
