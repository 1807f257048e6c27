import CTSCore

/// The vintage fingerprint of a store at a time: the SHA-256 of the sum of the digests of every reported
/// cell valid then (`FingerprintSum`). Each submission keeps the sum of the digests of the cells it made
/// current less those of the cells it ended, so the fingerprint at a time is the sum over the
/// submissions received by then: O(submissions), no figure read.
enum Fingerprints {
    /// The fingerprint of the figures valid at `asOf` (a `Timestamp`; nil: now).
    static func vintage(_ db: Database, asOf: String?) throws -> String {
        var sum = FingerprintSum()
        try db.forEachRow(
            "SELECT id, fingerprint FROM submission WHERE ? IS NULL OR received_at <= ? ORDER BY id", [asOf, asOf]
        ) { row in
            guard let part = FingerprintSum(hex: String(decoding: row.textBytes(1), as: UTF8.self)) else {
                throw StoreError(
                    .corrupt, path: db.path, message: "Submission \(row.int64(0)) has no valid fingerprint.",
                    fix: "Keep a copy of the file and ingest its returns again into a new store.")
            }
            sum.add(part)
        }
        return sum.finalize()
    }

    /// Works out every submission's fingerprint sum from the cell rows and stores it. The data step of
    /// the conversion from store version 6; tests hold it against what ingest wrote.
    static func recompute(_ db: Database) throws {
        var sums: [Int64: FingerprintSum] = [:]
        try db.forEachRow("SELECT id FROM submission") { sums[$0.int64(0)] = FingerprintSum() }
        var line = ByteWriter(capacity: 128)
        try db.forEachRow(
            """
            SELECT c.submission_id, c.ended_by, c.reporter, c.year, s.table_id, s.variable, s.breakdown, c.value,
                c.raw_value, c.status, c.note
            FROM cell_vintage c JOIN slot s ON s.id = c.slot_id WHERE c.withdrawn = 0
            """
        ) { r in
            let value = r.isNull(7) ? nil : r.double(7)
            let digest = FingerprintSum.digest(
                reporter: r.text(2), year: Int(r.int64(3)), table: r.text(4), variable: r.text(5),
                breakdown: r.text(6), raw: RawValue.read(stored: r.isNull(8) ? nil : r.text(8), value: value),
                status: r.text(9), note: r.text(10), line: &line)
            sums[r.int64(0), default: FingerprintSum()].add(digest: digest)
            if !r.isNull(1) { sums[r.int64(1), default: FingerprintSum()].subtract(digest: digest) }
        }
        let update = try db.statement("UPDATE submission SET fingerprint = ? WHERE id = ?")
        for (id, sum) in sums { try update.execute(sum.hex, id) }
    }
}
