import CTSCore
import Foundation

extension ObservationTable {
    /// Reads the observations valid at `asOf` from `db`, in two halves of the table side by side (the upper
    /// half through a second connection) when the machine has two cores and the store has `threshold` rows
    /// or more.
    ///
    /// Both connections must see the same figures: `db` reads in a transaction (its own, if it is not in
    /// one), and the second connection's snapshot is used only if it has the same latest submission (every
    /// change to the figures comes with a new submission). Else, or if a second connection cannot be
    /// opened, everything is read through `db`.
    static func read(_ db: Database, asOf: String?, splittingFrom threshold: Int = 400_000) throws
        -> ObservationTable
    {
        guard db.inTransaction else {
            return try db.readTransaction { try read(db, asOf: asOf, splittingFrom: threshold) }
        }
        let bounds = try db.rows("SELECT min(id), max(id) FROM observation")
        guard ProcessInfo.processInfo.activeProcessorCount > 1, let low = bounds.first?[0].int,
            let high = bounds.first?[1].int, high - low >= threshold,
            let second = try? Database(path: db.path, readOnly: true),
            (try? second.execute("BEGIN")) != nil,
            let latest = try? db.scalar("SELECT max(id) FROM submission"),
            (try? second.scalar("SELECT max(id) FROM submission")) == latest
        else { return try ObservationTable(db: db, asOf: asOf) }
        let middle = low + (high - low) / 2
        let halves = Halves()
        // Each connection is used by one thread only.
        nonisolated(unsafe) let connections = [db, second]
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            let ids = half == 0 ? low...middle : (middle + 1)...high
            halves.set(half, Result { try ObservationTable(db: connections[half], asOf: asOf, ids: ids) })
        }
        try? second.execute("COMMIT")
        var table = try halves.get(0)
        try table.append(try halves.get(1))
        return table
    }

    /// The two halves as they are read, each set by its own thread.
    private final class Halves: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<ObservationTable, any Error>?] = [nil, nil]

        func set(_ half: Int, _ result: Result<ObservationTable, any Error>) {
            lock.lock()
            results[half] = result
            lock.unlock()
        }

        func get(_ half: Int) throws -> ObservationTable {
            lock.lock()
            defer { lock.unlock() }
            return try results[half]!.get()
        }
    }
}
