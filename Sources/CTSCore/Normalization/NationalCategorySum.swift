/// The figures of several national categories of one reporter, series and year that map to the same ICCS
/// code, added into one figure: the values summed (none when any part has none), an estimate (E) when any
/// part is, else the first status other than normal (a break, a differing definition, a provisional
/// figure). The one rule export and aggregate both use.
public struct NationalCategorySum: Sendable, Equatable {
    public private(set) var value: Double?
    public private(set) var status: ObservationStatus

    /// Starts from the first part.
    public init(value: Double?, status: ObservationStatus) {
        self.value = value
        self.status = status
    }

    /// Adds the next part.
    public mutating func add(value part: Double?, status next: ObservationStatus) {
        value = value.flatMap { a in part.map { a + $0 } }
        if next == .estimated || status == .estimated {
            status = .estimated
        } else if status == .normal {
            status = next
        }
    }
}
