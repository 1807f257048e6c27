/// How a questionnaire checks a return against the reporter's stored history (`history:` in its YAML).
public struct HistorySettings: Sendable, Equatable {
    /// A revision that moves a stored figure by more than this share of it (0.10: 10%) is a warning.
    public var revisionThreshold: Double
    /// How a new figure is compared with the series it joins.
    public var outliers: OutlierTest

    public init(revisionThreshold: Double = 0.10, outliers: OutlierTest = OutlierTest()) {
        self.revisionThreshold = revisionThreshold
        self.outliers = outliers
    }
}
