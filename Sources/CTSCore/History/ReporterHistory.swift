import Synchronization

/// The figures a store holds now for the reporters of a return, as the checks read them when the return
/// itself lacks a cell: the previous year for `prev()`, a required figure a correction does not restate.
///
/// Filled one reporter at a time by the thread that reads the return (where the store's connection
/// lives), before that reporter's cells are checked; read by the checks on any thread. O(1) a lookup.
public final class ReporterHistory: HistoryLookup {
    private struct Held {
        var cells: [String: any StoredReporter] = [:]
        /// Reporters in the order added, for `add(_:_:keepingAtMost:)`.
        var order: [String] = []
    }
    private let held = Mutex(Held())

    public init() {}

    /// Whether `reporter`'s figures have been added (perhaps none).
    public func holds(_ reporter: String) -> Bool { held.withLock { $0.cells[reporter] != nil } }

    /// Adds the figures of `reporter`, keyed as the return's cells are. With `limit`, the reporters added
    /// longest ago are let go beyond that many: a return read country by country needs only those whose
    /// checks are not done, so memory holds a few countries' history, not the store's.
    public func add(_ reporter: String, _ figures: any StoredReporter, keepingAtMost limit: Int? = nil) {
        held.withLock { held in
            if held.cells.updateValue(figures, forKey: reporter) == nil { held.order.append(reporter) }
            while let limit, held.order.count > limit { held.cells[held.order.removeFirst()] = nil }
        }
    }

    public func reporter(_ country: String) -> (any StoredReporter)? { held.withLock { $0.cells[country] } }

    public func cell(_ key: CellKey) -> ReturnCell? { reporter(key.country)?.cell(key) }
}
