/// The statements `Store.ingest` runs once per cell, prepared once per return.
struct CellStatements {
    let current: Statement
    let insertCell: Statement

    init(_ db: Database) throws {
        current = try db.statement(
            """
            SELECT id, action, raw_value, status, note FROM cell
            WHERE reporter = ? AND table_id = ? AND variable = ? AND year = ? AND breakdown = ? AND valid_to IS NULL
            """)
        insertCell = try db.statement(
            """
            INSERT INTO cell (submission_id, reporter, year, table_id, variable, breakdown, action, value, raw_value,
                status, note, line, valid_from)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }
}
