/// How a country's missing years of a series are filled from the years it reported: one type per method,
/// chosen by name (`--method`, `AggregationOptions.method`). What a method leaves unfilled, and every
/// country without a figure at all, takes its sub-region's rate (`Aggregator.impute`); breakdowns and the
/// ICCS order are then made consistent the same way whatever the method (docs/METHODOLOGY.md).
///
/// Adding a method is one file: a type conforming to this protocol, listed in `all`.
public protocol CompletionMethod: Sendable {
    /// The name `--method` takes and `trends_metadata.json` records.
    var name: String { get }
    /// One line for `--help` and the metadata.
    var summary: String { get }
    /// Fills the years of `years` that are nil in `points` (entry `years.lowerBound + i` at
    /// `points.startIndex + i`), for a country whose reported rates per 100,000 are `rates` (one per
    /// year, in year order, at least one). A year it cannot fill stays nil. `population` gives persons by
    /// year (a filled year needs it). Filled points are estimates, not observed.
    func fill(
        rates: [(year: Int, rate: Double)], years: ClosedRange<Int>, population: (Int) -> Int?,
        into points: inout ArraySlice<CountrySeries.Point?>)
}

/// The methods `--method` offers, by name.
public enum CompletionMethods {
    /// Every method; the first is the default.
    public static func all(carryYears: Int) -> [any CompletionMethod] {
        [InterpolateAndCarry(carryYears: carryYears), UNODCWeightedAverage()]
    }

    public static let names = all(carryYears: 0).map(\.name)

    /// The method called `name`, or nil.
    public static func named(_ name: String, carryYears: Int) -> (any CompletionMethod)? {
        all(carryYears: carryYears).first { $0.name == name }
    }
}
