import Synchronization

/// The figures a store holds now for the reporters of a return, as the checks read them when the return
/// itself lacks a cell: the previous year for `prev()`, a required figure a correction does not restate.
///
/// Filled one reporter at a time by the thread that reads the return (where the store's connection
/// lives), before that reporter's cells are checked; read by the checks on any thread. O(1) a lookup.
public final class ReporterHistory: CellLookup {
    private let cells = Mutex<[String: [CellKey: ReturnCell]]>([:])

    public init() {}

    /// Whether `reporter`'s figures have been added (perhaps none).
    public func holds(_ reporter: String) -> Bool { cells.withLock { $0[reporter] != nil } }

    /// Adds the figures of `reporter`, keyed as the return's cells are.
    public func add(_ reporter: String, _ figures: [CellKey: ReturnCell]) {
        cells.withLock { $0[reporter] = figures }
    }

    public func cell(_ key: CellKey) -> ReturnCell? { cells.withLock { $0[key.country]?[key] } }
}
