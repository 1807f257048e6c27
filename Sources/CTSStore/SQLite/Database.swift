import CSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A connection to one SQLite file: a thin wrapper that owns the handle and runs SQL with bound values.
///
/// Writers use `transaction`, which begins IMMEDIATE so concurrent processes queue on the write lock
/// (waiting up to `busyTimeout`) instead of failing half-way.
public final class Database {
    let handle: OpaquePointer
    public let path: String
    private var statements: [String: Statement] = [:]

    /// How long to wait for another process's write lock, in milliseconds.
    public static let busyTimeout: Int32 = 60_000

    /// Opens (and creates, unless `readOnly`) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let code = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let db else {
            let error = DatabaseError(code: code, connection: db)
            sqlite3_close(db)
            throw error
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, Self.busyTimeout)
        sqlite3_extended_result_codes(db, 1)
        try execute("PRAGMA foreign_keys = ON")
        if !readOnly {
            // 16 KB pages for a new file (an existing one keeps its own): a store holds millions of small
            // rows, and bigger pages mean fewer page reads and WAL frames (ingest about 10% faster).
            try execute("PRAGMA page_size = \(Self.newPageSize)")
            // Turning a new file to WAL takes its lock without waiting for it: another process that made
            // the file a moment before, and is setting it up, makes it fail at once. Tried again until the
            // busy timeout, as other statements wait.
            try retryingWhileBusy { try execute("PRAGMA journal_mode = WAL") }
        }
    }

    /// Runs `body` again while it fails because another connection holds the lock, for up to
    /// `busyTimeout` milliseconds; for statements SQLite does not wait on itself.
    func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T {
        var waited: Int32 = 0
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.code & 0xFF == SQLITE_BUSY && waited < Self.busyTimeout {
                usleep(10_000)
                waited += 10
            }
        }
    }

    /// The page size of a database this creates.
    static let newPageSize = 16_384

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs SQL text without parameters (schema changes, pragmas); several statements are allowed.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(error)
            throw DatabaseError(code: code, message: message, sql: sql)
        }
    }

    /// A prepared statement for `sql`, cached per connection.
    public func statement(_ sql: String) throws -> Statement {
        if let cached = statements[sql] { return cached }
        let statement = try Statement(database: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs `sql` with `values`.
    public func run(_ sql: String, _ values: [any SQLBindable] = []) throws {
        try statement(sql).run(values)
    }

    /// All rows of `sql` with `values`.
    public func rows(_ sql: String, _ values: [any SQLBindable] = []) throws -> [[SQLValue]] {
        try statement(sql).rows(values)
    }

    /// Calls `body` for each row of `sql` with `values`, one row in memory at a time.
    public func forEachRow(_ sql: String, _ values: [any SQLBindable] = [], _ body: (Statement) throws -> Void) throws {
        try statement(sql).forEachRow(values, body)
    }

    /// The first column of the first row, or nil.
    public func scalar(_ sql: String, _ values: [any SQLBindable] = []) throws -> SQLValue? {
        try rows(sql, values).first?.first
    }

    /// True inside a transaction (`BEGIN` without its `COMMIT` yet).
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The rowid of the last insert.
    public var lastInsertID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` in one read transaction: every read in it sees the store as it was when the first one
    /// began, even while another process commits (WAL keeps that snapshot).
    /// Inside a transaction already, `body` runs in that one.
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if inTransaction { return try body() }
        return try transaction(begin: "BEGIN DEFERRED") {
            // The snapshot starts at the first read: take it now.
            _ = try scalar("SELECT count(*) FROM sqlite_schema")
            return try body()
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: all of it is committed, or on any error none of it.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try transaction(begin: "BEGIN IMMEDIATE", body)
    }

    private func transaction<T>(begin: String, _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
