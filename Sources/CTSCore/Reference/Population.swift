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

    /// One country's population by year, to look many years up after one lookup of the country.
    public struct Country: Sendable {
        let first: Int
        let persons: [Int?]

        /// Persons in `year`, or nil where it is not known.
        public func persons(_ year: Int) -> Int? {
            let i = year - first
            return i >= 0 && i < persons.count ? persons[i] : nil
        }
    }

    /// The population of `iso3` by year (empty for a country without any).
    public func country(_ iso3: String) -> Country {
        guard let years = values[iso3], let first = years.keys.min(), let last = years.keys.max() else {
            return Country(first: 0, persons: [])
        }
        return Country(first: first, persons: (first...last).map { years[$0] })
    }

    /// Number of country-years held.
    public var count: Int { values.values.reduce(0) { $0 + $1.count } }
}
