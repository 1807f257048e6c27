/// One cell of a return in packed form: 40 bytes, no reference counting.
///
/// The value is `nan` when the cell has none. The raw text of the value and the note live in the
/// table's side list (`extra`), and only when the raw text is not the plain digits of the value or the
/// note is not empty.
public struct PackedCell: Sendable {
    public var key: PackedCellKey
    public var value: Double
    public var line: Int32
    /// Position in `CellTable`'s side list, or -1.
    public var extra: Int32
    /// Column (0-based) the cell's location points at: the value, or the action of a withdrawal.
    public var column: Int16
    public var status: ObservationStatus
    public var flags: UInt8

    public static let invalid: UInt8 = 1
    public static let withdrawal: UInt8 = 2

    @inlinable public var isInvalid: Bool { flags & Self.invalid != 0 }
    @inlinable public var isWithdrawal: Bool { flags & Self.withdrawal != 0 }
    @inlinable public var hasValue: Bool { !value.isNaN }

    /// What the cell adds to a sum: its value, 0 for K, nil for no figure (as `ReturnCell.contribution`).
    @inlinable public var contribution: Double? {
        if isInvalid { return nil }
        if !value.isNaN { return value }
        return status == .includedElsewhere ? 0 : nil
    }

    public init(
        key: PackedCellKey, value: Double?, line: Int, column: Int, status: ObservationStatus, flags: UInt8,
        extra: Int32 = -1
    ) {
        self.key = key
        self.value = value ?? .nan
        self.line = Int32(clamping: line)
        self.extra = extra
        self.column = Int16(clamping: column)
        self.status = status
        self.flags = flags
    }
}

/// The cells of a return (or of one country of it) by packed key, for the cross-cell checks.
///
/// Cells stay in one array in file order; a dictionary maps each key to the first cell with it. A cell
/// becomes a `ReturnCell` again only when a finding or a rule needs it (`cell(at:)`).
/// Memory: about 60 bytes per cell. Lookups are O(1) and hash two integers.
public struct CellTable: CellLookup {
    public internal(set) var coder: CellCoder
    /// File name and header, to rebuild the location of a cell.
    public var file: String
    public var header: [String]
    /// The first cell of each key, in file order.
    public private(set) var cells: [PackedCell] = []
    private var positions = PackedKeyTable()
    private var extras: [Extra] = []
    /// Earlier figures for cells the return does not hold (e.g. `prev()` from the store).
    public var fallback: (any CellLookup)?

    struct Extra: Sendable {
        var raw: String?
        var note: String
        var original: ReturnCell?
    }

    public init(coder: CellCoder, file: String = "", header: [String] = [], fallback: (any CellLookup)? = nil) {
        self.coder = coder
        self.file = file
        self.header = header
        self.fallback = fallback
    }

    /// Adds a cell unless one with its key is held; returns the position of the cell already held.
    public mutating func insert(_ cell: PackedCell) -> Int? {
        if let existing = positions.insert(cell.key, Int32(cells.count)) { return Int(existing) }
        cells.append(cell)
        return nil
    }

    /// Keeps the raw text and note of a cell that needs them; the result goes in `PackedCell.extra`.
    public mutating func extra(raw: String?, note: String) -> Int32 {
        extras.append(Extra(raw: raw, note: note, original: nil))
        return Int32(extras.count - 1)
    }

    /// Packs a `ReturnCell` for this table (numbering what is new), keeping the cell itself for `rebuild`.
    /// Nil when its key names a table, variable or code the questionnaire does not have.
    public mutating func pack(_ cell: ReturnCell) -> PackedCell? {
        guard let key = coder.intern(cell.key) else { return nil }
        extras.append(Extra(raw: nil, note: "", original: cell))
        let flags = (cell.isInvalid ? PackedCell.invalid : 0) | (cell.isWithdrawal ? PackedCell.withdrawal : 0)
        return PackedCell(
            key: key, value: cell.value, line: cell.location.line, column: cell.location.column - 1,
            status: cell.status, flags: flags, extra: Int32(extras.count - 1))
    }

    /// Adds a `ReturnCell`; returns the position of the cell already held with its key, if any.
    public mutating func insert(_ cell: ReturnCell) -> Int? {
        guard let packed = pack(cell) else { return nil }
        return insert(packed)
    }

    /// Lets go of every cell, keeping the numbering and the memory. `pending`, a cell packed but not yet
    /// inserted, keeps its side entry.
    /// `pending` rebuilt, then every cell removed as `removeAll(keeping:)` does: for cells taken one at a
    /// time. One mutating access, so a table held in an optional is not copied to be read.
    public mutating func take(_ pending: inout PackedCell) -> ReturnCell {
        let cell = rebuild(pending)
        removeAll(keeping: &pending)
        return cell
    }

    public mutating func removeAll(keeping pending: inout PackedCell) {
        let kept = pending.extra >= 0 ? extras[Int(pending.extra)] : nil
        cells.removeAll(keepingCapacity: true)
        positions.removeAll()
        extras.removeAll(keepingCapacity: true)
        if let kept {
            extras.append(kept)
            pending.extra = 0
        }
    }

    /// Hands every cell over in a table of its own (to be checked elsewhere) and starts afresh, keeping the
    /// numbering. `pending`, a cell packed but not yet inserted, keeps its side entry. Nothing is copied:
    /// the cells' storage goes with the table handed over.
    public mutating func handOver(keeping pending: inout PackedCell) -> CellTable {
        let kept = pending.extra >= 0 ? extras[Int(pending.extra)] : nil
        let full = self
        // The next country is likely about as large: room for as many cells, so the table does not grow.
        cells = []
        cells.reserveCapacity(full.cells.count)
        positions = PackedKeyTable(capacity: full.cells.count)
        extras = []
        if let kept {
            extras.append(kept)
            pending.extra = 0
        }
        return full
    }

    /// Where the cell with this key stands in `cells` (nil if absent or withdrawn).
    public func position(of key: PackedCellKey) -> Int? {
        guard let i = positions.find(key).map(Int.init), !cells[i].isWithdrawal else { return nil }
        return i
    }

    /// The cell at `i` as a `ReturnCell`.
    public func cell(at i: Int) -> ReturnCell { rebuild(cells[i]) }

    /// A packed cell as a `ReturnCell`.
    public func rebuild(_ cell: PackedCell) -> ReturnCell {
        let extra = cell.extra >= 0 ? extras[Int(cell.extra)] : nil
        if let original = extra?.original { return original }
        let value: Double? = cell.hasValue ? cell.value : nil
        let column = Int(cell.column)
        return ReturnCell(
            key: coder.decode(cell.key), value: value, rawValue: extra?.raw ?? Self.plainText(value),
            status: cell.status, note: extra?.note ?? "",
            location: SourceLocation(
                file: file, line: Int(cell.line), column: column + 1,
                columnName: column < header.count ? header[column] : nil),
            isInvalid: cell.isInvalid, isWithdrawal: cell.isWithdrawal)
    }

    /// The text of a whole number as a return writes it plainly (`1234`), or "" for no value.
    public static func plainText(_ value: Double?) -> String {
        guard let value else { return "" }
        return String(Int64(value))
    }

    /// The cell of the return with this key, ignoring the fallback and withdrawals.
    public func local(_ key: CellKey) -> ReturnCell? {
        guard let packed = coder.encode(key), let i = position(of: packed) else { return nil }
        return cell(at: i)
    }

    public func cell(_ key: CellKey) -> ReturnCell? { local(key) ?? fallback?.cell(key) }

    public func figure(_ key: CellKey) -> CellFigure? {
        guard let packed = coder.encode(key) else { return fallback?.figure(key) }
        return figure(packed: packed) { key }
    }

    /// What a rule reads of the cell with this packed key; `text` gives its text key, made only when the
    /// fallback is asked.
    public func figure(packed key: PackedCellKey, text: () -> CellKey) -> CellFigure? {
        guard let i = position(of: key) else { return fallback?.figure(text()) }
        let cell = cells[i]
        return CellFigure(
            value: cell.hasValue ? cell.value : nil, status: cell.status, contribution: cell.contribution)
    }
}
