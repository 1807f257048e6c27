/// A figure the store holds for one year of a reporter's series, as the history checks compare a return
/// with: revisions (the figure a cell replaces) and outliers (the series a new figure joins).
public struct StoredFigure: Sendable, Equatable {
    public var year: Int
    public var value: Double?
    /// The figure as the return wrote it (`1,234`), or its digits.
    public var rawValue: String
    public var status: ObservationStatus
    /// The stored return it came from: `CHE-2019.csv (received 2026-03-02)`.
    public var source: String
    /// The line of that return.
    public var line: Int

    public init(year: Int, value: Double?, rawValue: String, status: ObservationStatus, source: String, line: Int) {
        self.year = year
        self.value = value
        self.rawValue = rawValue
        self.status = status
        self.source = source
        self.line = line
    }

    /// How a figure is shown in a message: `125,475`, or `no figure (status L)`.
    public var shown: String { Self.shown(value, rawValue: rawValue, status: status) }

    static func shown(_ value: Double?, rawValue: String, status: ObservationStatus) -> String {
        let statusText = status == .normal ? "" : " (status \(status.rawValue))"
        guard let value else { return "no figure" + statusText }
        return Self.grouped(value) + statusText
    }

    /// `125,475` or `12.5`: thousands grouped, the fraction kept when there is one.
    public static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value.rounded() != value || Swift.abs(value) >= 1e15 { return "\(value)" }
        let digits = String(Int64(Swift.abs(value)))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (value < 0 ? "-" : "") + out
    }
}

/// One reporter's stored series, as the history checks read them. Immutable once made.
public protocol StoredReporter: CellLookup {
    /// A number for the series of `key` (its table, variable and breakdown; country and year are
    /// ignored), the same for every reporter of the store; nil when the store has no such series.
    func seriesNumber(_ key: CellKey) -> Int?
    /// The reporter's stored figures in series `number`, by year (current ones: not revised, not withdrawn).
    func figures(series number: Int) -> [StoredFigure]
    /// The reporter's stored figure of series `number` in `year`, if any: O(years of the series).
    func figure(series number: Int, year: Int) -> StoredFigure?
    /// The value and status of `figure(series:year:)` alone, which a check of every cell asks for: no
    /// text is made.
    func storedValue(series number: Int, year: Int) -> (value: Double?, status: ObservationStatus)?
}

/// Where the checks of a return find the stored series of its reporters.
public protocol HistoryLookup: CellLookup {
    /// `country`'s stored figures, nil when they are not at hand.
    func reporter(_ country: String) -> (any StoredReporter)?
}
