import CTSCore

extension Store {
    /// The observations current now, or as they stood at `asOf` (a `Timestamp`), in a stable order.
    ///
    /// National categories mapped to the same ICCS code are added up into one observation; it is an
    /// estimate (E) when any part is.
    public func observations(asOf: String? = nil) throws -> [Observation] {
        var result: [Observation] = []
        try forEachObservation(asOf: asOf) { result.append($0) }
        return result
    }

    /// The order `forEachObservation` hands observations over in.
    public enum ObservationOrder: Sendable {
        /// Reporter, indicator, series, ICCS code, year, breakdown (as `observations(asOf:)`).
        case byReporter
        /// Indicator, table, breakdown, then series, ICCS code, reporter and year: the observations of
        /// each family of series that `Aggregator` completes together come one after another.
        case byFamily
    }

    /// Calls `body` for each observation (as `observations(asOf:)` lists them) in `order`. The figures of
    /// several national categories of one reporter that map to the same ICCS code and year are added into
    /// one observation. The store is read once into 32 bytes per observation and ordered in memory
    /// (`ObservationTable`).
    public func forEachObservation(
        asOf: String? = nil, order: ObservationOrder = .byReporter, _ body: (Observation) throws -> Void
    ) throws {
        var table = try db.readTransaction { try ObservationTable(db: db, asOf: asOf) }
        table.sort(order)
        try table.forEachObservation { o, _ in try body(o) }
    }

    /// The observations valid at `asOf` (now when nil) in `byFamily` order, to be taken one family at a
    /// time, from any thread.
    public func families(asOf: String? = nil) throws -> ObservationFamilies {
        var table = try ObservationTable(db: db, asOf: asOf)
        table.sort(.byFamily)
        return ObservationFamilies(table: table, ranges: table.familyRanges())
    }
}

/// The observations of a store in families of series (indicator, table, breakdown), read and ordered
/// once (32 bytes each): each family's `Observation` values are made when asked for, so families can be
/// aggregated one at a time or side by side.
public struct ObservationFamilies: Sendable {
    let table: ObservationTable
    let ranges: [Range<Int>]

    /// The number of families.
    public var count: Int { ranges.count }

    /// The observations of family `index` (0 ..< count), in `byFamily` order, national categories of one
    /// reporter, series and year added up.
    public func observations(_ index: Int) -> [Observation] {
        var result: [Observation] = []
        result.reserveCapacity(ranges[index].count)
        table.forEachObservation(in: ranges[index]) { o, _ in result.append(o) }
        return result
    }
}

/// The observations of a store at one time in `byReporter` order, read and ordered once (32 bytes each)
/// and made one at a time when walked, so that they can be walked more than once without being held.
public struct ObservationList: Sendable {
    let table: ObservationTable

    /// The reporters, each once, in no particular order.
    public var reporters: [String] { table.places.map(\.reporter) }

    /// The breakdowns in use, each once (`sex=F;age=_T`), in no particular order.
    public var breakdowns: [String] { table.series.map(\.breakdown) }

    /// Calls `body` with each observation, in order; national categories of one reporter, series and year
    /// added up. O(n), holding one observation at a time.
    public func forEach(_ body: (Observation) throws -> Void) rethrows {
        try table.forEachObservation { o, _ in try body(o) }
    }
}

extension Store {
    /// The observations valid at `asOf` (now when nil), in `byReporter` order, to be walked as often as
    /// needed (`ObservationList`).
    public func observationList(asOf: String? = nil) throws -> ObservationList {
        var table = try db.readTransaction { try ObservationTable(db: db, asOf: asOf) }
        table.sort(.byReporter)
        return ObservationList(table: table)
    }
}
