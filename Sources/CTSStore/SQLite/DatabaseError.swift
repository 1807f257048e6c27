import CSQLite

/// An error from SQLite, with its result code, SQLite's message and the SQL that caused it.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The SQLite (extended) result code, e.g. 5 for SQLITE_BUSY.
    public var code: Int32
    public var message: String
    public var sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    init(code: Int32, connection: OpaquePointer?, sql: String? = nil) {
        let text = connection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        self.init(code: code, message: text, sql: sql)
    }

    public var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " (in: \($0))" } ?? "")
    }
}
