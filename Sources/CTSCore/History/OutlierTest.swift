import Foundation

/// Whether a new figure lies far outside the reporter's own series: a robust z-score (Iglewicz and
/// Hoaglin's modified z-score, 0.6745 × (x − median) / MAD) of the new figure's measure against the
/// measures of the stored years. Pure; O(n log n) in the stored years.
///
/// Every measure is taken on `ln(1 + figure)`, so that it does not depend on the size of the country and
/// a zero does not break it:
/// - `change` (the default): the change from the year before, `ln(1 + x[t]) − ln(1 + x[t−1])`, against
///   the changes between consecutive stored years. A steady trend is not an outlier; a jump is.
/// - `level`: the figure itself (the rate per 100,000 when the population is known) against the stored
///   years' figures. For series that should stay flat.
///
/// The median absolute deviation is held at `minimumSpread` (0.05, about 5%) or more: a series that
/// moved by exactly 1% a year would otherwise make a 3% move an outlier.
public struct OutlierTest: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        case change, level
    }

    public var method: Method
    /// A figure whose score is beyond this (either way) is an outlier. 3.5 is Iglewicz and Hoaglin's.
    public var threshold: Double
    /// Stored years (with a figure) needed before a figure is tested.
    public var minimumYears: Int
    public static let minimumSpread = 0.05

    public init(method: Method = .change, threshold: Double = 3.5, minimumYears: Int = 3) {
        self.method = method
        self.threshold = threshold
        self.minimumYears = minimumYears
    }

    /// One year of a series: a count, or a rate.
    public struct Point: Sendable, Equatable {
        public var year: Int
        public var value: Double
        public init(year: Int, value: Double) {
            self.year = year
            self.value = value
        }
    }

    /// What a test found, for the message: the new figure's measure, and the history's.
    public struct Result: Sendable, Equatable {
        public var score: Double
        public var isOutlier: Bool
        /// The new figure's measure: its change from the year before, or its level (`ln(1 + x)`).
        public var measure: Double
        /// Median, lowest and highest measure of the history.
        public var median: Double
        public var low: Double
        public var high: Double
        /// The stored years compared with.
        public var years: ClosedRange<Int>
    }

    /// Tests `value` (the new figure of `year`) against `history` (stored figures of other years, by
    /// year). `previous` is the figure of the year before (from the return or the store), which the
    /// `change` method needs. Nil when there is too little to compare with.
    public func test(year: Int, value: Double, previous: Double?, history: [Point]) -> Result? {
        guard history.count >= max(1, minimumYears), let first = history.first?.year, let last = history.last?.year
        else { return nil }
        let measure: Double
        var measures: [Double] = []
        switch method {
        case .level:
            measure = Self.log(value)
            measures = history.map { Self.log($0.value) }
        case .change:
            guard let previous, value >= 0, previous >= 0 else { return nil }
            measure = Self.log(value) - Self.log(previous)
            for (a, b) in zip(history, history.dropFirst()) where b.year == a.year + 1 {
                measures.append(Self.log(b.value) - Self.log(a.value))
            }
            guard measures.count >= 2 else { return nil }
        }
        let median = Self.median(measures)
        let spread = max(Self.median(measures.map { Swift.abs($0 - median) }), Self.minimumSpread)
        let score = 0.6745 * (measure - median) / spread
        return Result(
            score: score, isOutlier: Swift.abs(score) > threshold, measure: measure, median: median,
            low: measures.min()!, high: measures.max()!, years: first...last)
    }

    static func log(_ x: Double) -> Double { Foundation.log1p(Swift.max(x, 0)) }

    /// The median of a non-empty list.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
