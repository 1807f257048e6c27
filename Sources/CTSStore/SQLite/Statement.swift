import CSQLite

/// A prepared statement. Parameters are always bound, never spliced into SQL text.
public final class Statement {
    let handle: OpaquePointer
    let sql: String
    private unowned let database: Database

    init(database: Database, sql: String) throws {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(database.handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(code: code, connection: database.handle, sql: sql)
        }
        self.handle = statement
        self.sql = sql
        self.database = database
    }

    /// The text parameters of the last `execute`, copied here so that SQLite can use them where they lie
    /// (valid until the next `execute` binds every parameter again).
    private var arena = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 1)
    private let arenaCapacity = 4096
    private var arenaUsed = 0

    deinit {
        sqlite3_finalize(handle)
        arena.deallocate()
    }

    /// Resets the statement and binds `values` to its parameters in order.
    public func bind(_ values: [any SQLBindable]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, value) in values.enumerated() { try bind(value.sqlValue, at: Int32(i + 1)) }
    }

    private func bind(_ value: SQLValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
        case .real(let v): code = sqlite3_bind_double(handle, index, v)
        case .text(var v):
            // The string's own UTF-8, with its length: no C-string copy, no strlen (SQLite copies it).
            code = v.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { text in
                    guard let base = text.baseAddress, text.count > 0 else {
                        // Empty text, not NULL: SQLite reads a null pointer as NULL.
                        return "".withCString { sqlite3_bind_text(handle, index, $0, 0, sqliteTransient) }
                    }
                    return sqlite3_bind_text(handle, index, base, Int32(text.count), sqliteTransient)
                }
            }
        }
        guard code == SQLITE_OK else { throw DatabaseError(code: code, connection: database.handle, sql: sql) }
    }

    /// Runs the statement with `values` bound in order, discarding any rows. Unlike `run(_:)` with an
    /// array, nothing is boxed or allocated per call: for statements run once per cell.
    ///
    /// Text is copied into memory the statement owns and bound from there, so SQLite neither allocates nor
    /// copies it per parameter. Every parameter is bound each time (checked), so none is left from before.
    public func execute<each V: SQLBindable>(_ values: repeat each V) throws {
        sqlite3_reset(handle)
        arenaUsed = 0
        var index: Int32 = 0
        for value in repeat each values {
            index += 1
            if case .text(let text) = value.sqlValue {
                try bindFromArena(text, at: index)
            } else {
                try bind(value.sqlValue, at: index)
            }
        }
        guard index == sqlite3_bind_parameter_count(handle) else {
            throw DatabaseError(
                code: SQLITE_RANGE, message: "\(index) values for \(sqlite3_bind_parameter_count(handle)) parameters",
                sql: sql)
        }
        while try step() {}
    }

    /// Binds `text` from a copy in the arena (SQLITE_STATIC); text that does not fit is copied by SQLite.
    private func bindFromArena(_ text: String, at index: Int32) throws {
        var text = text
        let code = text.withUTF8 { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0, arenaUsed + bytes.count <= arenaCapacity else {
                return -1
            }
            let target = arena + arenaUsed
            target.copyMemory(from: base, byteCount: bytes.count)
            arenaUsed += bytes.count
            return sqlite3_bind_text(
                handle, index, target.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
        }
        if code == -1 { return try bind(.text(text), at: index) }
        guard code == SQLITE_OK else { throw DatabaseError(code: code, connection: database.handle, sql: sql) }
    }

    /// Advances to the next row; false when done.
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw DatabaseError(code: code, connection: database.handle, sql: sql)
        }
    }

    /// Runs the statement with `values`, discarding any rows.
    public func run(_ values: [any SQLBindable] = []) throws {
        try bind(values)
        while try step() {}
    }

    /// Runs the statement with `values` and returns all rows.
    public func rows(_ values: [any SQLBindable] = []) throws -> [[SQLValue]] {
        try bind(values)
        var result: [[SQLValue]] = []
        while try step() { result.append((0..<columnCount).map(column)) }
        return result
    }

    /// Runs the statement with `values` and calls `body` for each row as it is stepped to (read it with
    /// `column(_:)`): memory holds one row at a time.
    public func forEachRow(_ values: [any SQLBindable] = [], _ body: (Statement) throws -> Void) throws {
        try bind(values)
        while try step() { try body(self) }
    }

    /// The text of column `index` as bytes (empty for NULL), valid until the next step: no `String` is made.
    public func textBytes(_ index: Int) -> UnsafeRawBufferPointer {
        let i = Int32(index)
        guard let text = sqlite3_column_text(handle, i) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, i)))
    }

    /// The text of column `index` ("" for NULL), every byte of it: a NUL inside the text is kept.
    public func text(_ index: Int) -> String { String(decoding: textBytes(index), as: UTF8.self) }

    /// True when column `index` is NULL.
    public func isNull(_ index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }

    /// Column `index` as an integer (0 for NULL), with no `SQLValue` made.
    public func int64(_ index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    /// Column `index` as a double (0 for NULL), with no `SQLValue` made.
    public func double(_ index: Int) -> Double { sqlite3_column_double(handle, Int32(index)) }

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func column(_ index: Int) -> SQLValue {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_NULL: return .null
        default: return .text(text(index))
        }
    }
}

/// SQLite's SQLITE_TRANSIENT: copy the bound bytes.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
