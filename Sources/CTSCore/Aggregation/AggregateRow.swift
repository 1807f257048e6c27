/// One group-year of one series in a trend table.
public struct AggregateRow: Sendable, Equatable {
    public enum Publication: String, Sendable, Codable {
        case published
        /// The countries that reported cover too little of the group's population.
        case lowCoverage = "suppressed-low-coverage"
        /// No country of the group, nor of its imputation groups, reported.
        case noData = "suppressed-no-data"
    }

    public var group: CountryGroup.Kind
    public var groupCode: String
    public var groupName: String
    public var indicator: String
    public var series: String
    public var iccs: ICCSCode?
    public var breakdown: String
    public var year: Int
    /// The total and rate as published (nil when suppressed).
    public var total: Double?
    public var rate: Double?
    /// The total as computed, published or not (used to check the tables add up).
    public var computedTotal: Double
    public var population: Double
    /// Member countries with a population for the year, and those that reported a figure.
    public var countries: Int
    public var reporting: Int
    /// Share (0–100) of the group's population living in countries that reported.
    public var coverage: Double
    /// Share (0–100) of the total that was interpolated, carried or imputed.
    public var imputedShare: Double
    /// The rate against the base year's rate (= 100), and its change from the year before, in percent.
    public var index: Double?
    public var change: Double?
    /// A when every figure was reported as a normal value, E when imputation or an estimate is in it.
    public var status: ObservationStatus?
    public var publication: Publication
}
