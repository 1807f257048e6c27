/// Population by country and year (persons), the denominator of rates per 100,000.
public struct Population: Sendable {
    private var values: [String: [Int: Int]] = [:]

    public init() {}

    /// Records the population of `iso3` in `year`; returns false if that country-year was already set.
    @discardableResult
    public mutating func set(_ iso3: String, _ year: Int, _ persons: Int) -> Bool {
        values[iso3, default: [:]].updateValue(persons, forKey: year) == nil
    }

    public func persons(_ iso3: String, _ year: Int) -> Int? { values[iso3]?[year] }

    /// Number of country-years held.
    public var count: Int { values.values.reduce(0) { $0 + $1.count } }
}
