import CTSCore

extension ObservationTable {
    /// Reads the observations valid at `asOf` from `db`, in two halves of the blocks side by side (the upper
    /// half through a second connection) when the machine has two cores and the store has `threshold`
    /// blocks or more.
    ///
    /// Both connections must see the same figures: `db` reads in a transaction (its own, if it is not in
    /// one), and the second connection's snapshot is used only if it has the same latest submission (every
    /// change to the figures comes with a new submission). Else, or if a second connection cannot be
    /// opened, everything is read through `db`.
    static func read(_ db: Database, asOf: String?, splittingFrom threshold: Int = 256) throws
        -> ObservationTable
    {
        guard db.inTransaction else {
            return try db.readTransaction { try read(db, asOf: asOf, splittingFrom: threshold) }
        }
        // `size` lies before the observations in each row: summing it reads no block's text.
        let bounds = try db.rows("SELECT min(id), max(id), sum(size) FROM observation_block")
        let (low, high, total) = (bounds.first?[0].int ?? 0, bounds.first?[1].int ?? -1, bounds.first?[2].int ?? 0)
        guard Parallel.cores > 1, high - low >= threshold,
            let second = try? Database(path: db.path, readOnly: true),
            (try? second.execute("BEGIN")) != nil,
            let latest = try? db.scalar("SELECT max(id) FROM submission"),
            (try? second.scalar("SELECT max(id) FROM submission")) == latest
        else { return try ObservationTable(db: db, asOf: asOf, capacity: total) }
        let middle = low + (high - low) / 2
        // Each connection is used by one thread only.
        nonisolated(unsafe) let connections = [db, second]
        // Each half has room for every observation from the start (room not filled takes no memory), so
        // that neither grows by copying and putting them together does not hold a third copy.
        var halves = Parallel.map(2) { half in
            let ids = half == 0 ? low...middle : (middle + 1)...high
            return Result {
                try ObservationTable(db: connections[half], asOf: asOf, blocks: ids, capacity: total)
            }
        }
        try? second.execute("COMMIT")
        // Taken out of `halves`, so that the lower half's rows are not shared, and grow without a copy.
        var table = try halves.removeFirst().get()
        try table.append(try halves.removeFirst().get())
        return table
    }
}
