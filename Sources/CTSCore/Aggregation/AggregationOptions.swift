/// The choices behind an aggregation, recorded in its metadata so a table can be reproduced.
public struct AggregationOptions: Sendable, Equatable, Codable {
    /// The years an aggregation may be asked to cover (`firstYear`, `lastYear`, `baseYear`).
    public static let years = 1900...2100

    /// How a country's missing years are filled (`CompletionMethods`): `interpolate` or `unodc`.
    public var method: String = "interpolate"
    /// Years before the first and after the last observation that carry the nearest observed rate
    /// (`interpolate`).
    public var carryYears: Int = 2
    /// A group-year is published only when the countries that reported cover at least this share of its
    /// population.
    public var coverageThreshold: Double = 2.0 / 3.0
    /// The year whose rate is 100 in the index column; nil for the first year of each series.
    public var baseYear: Int? = nil
    /// First and last year of the tables; nil for the span of the data.
    public var firstYear: Int? = nil
    public var lastYear: Int? = nil

    public init() {}

    /// The completion method named by `method` (the default one if the name is unknown: the command line
    /// refuses unknown names before).
    public var completion: any CompletionMethod {
        CompletionMethods.named(method, carryYears: carryYears) ?? InterpolateAndCarry(carryYears: carryYears)
    }
}

/// A set of countries aggregated together: the world, an M49 region, sub-region or intermediate region,
/// or a custom grouping.
public struct CountryGroup: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case world, region, subregion, intermediate, custom
    }

    public var kind: Kind
    /// M49 code for M49 groups (`001` for the world), the file's id for custom groups.
    public var code: String
    public var name: String
    public var members: [String]

    public init(kind: Kind, code: String, name: String, members: [String]) {
        self.kind = kind
        self.code = code
        self.name = name
        self.members = members
    }
}
