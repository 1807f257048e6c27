import CTSCore

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
        let (low, high) = (bounds.first?[0].int ?? 0, bounds.first?[1].int ?? -1)
        guard Parallel.cores > 1, high - low >= threshold,
            let second = try? Database(path: db.path, readOnly: true),
            (try? second.execute("BEGIN")) != nil,
            let latest = try? db.scalar("SELECT max(id) FROM submission"),
            (try? second.scalar("SELECT max(id) FROM submission")) == latest
        else { return try ObservationTable(db: db, asOf: asOf, capacity: high - low + 1) }
        let middle = low + (high - low) / 2
        // Each connection is used by one thread only.
        nonisolated(unsafe) let connections = [db, second]
        // The lower half has room for the upper one from the start, so that neither grows by copying and
        // putting them together does not hold a third copy.
        var halves = Parallel.map(2) { half in
            let ids = half == 0 ? low...middle : (middle + 1)...high
            let capacity = half == 0 ? high - low + 1 : ids.count
            return Result { try ObservationTable(db: connections[half], asOf: asOf, ids: ids, capacity: capacity) }
        }
        try? second.execute("COMMIT")
        // Taken out of `halves`, so that the lower half's rows are not shared, and grow without a copy.
        var table = try halves.removeFirst().get()
        try table.append(try halves.removeFirst().get())
        return table
    }
}
