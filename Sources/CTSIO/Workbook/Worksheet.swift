import Foundation
import CTSCore

/// One cell of a worksheet as cts reads it: its text and how the workbook stored it.
public struct WorkbookCell: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A number: `text` is its digits, to Excel's 15 significant digits (`522.43`, `2305`).
        case number
        /// A string, shared or inline, or a formula's string result.
        case text
        /// TRUE or FALSE.
        case boolean
        /// An error value such as `#DIV/0!`.
        case error
        /// A number shown as a date: `text` is the date (`2024-01-31`), `number` the serial day.
        case date
        /// A formula whose result was never computed (written by a program, not saved by a spreadsheet):
        /// `text` is empty.
        case formulaWithoutValue
    }

    public var kind: Kind
    public var text: String
    /// The stored number of a number or date cell.
    public var number: Double?
    /// The formula, without its `=`, when the cell holds one.
    public var formula: String?

    public init(kind: Kind, text: String, number: Double? = nil, formula: String? = nil) {
        self.kind = kind
        self.text = text
        self.number = number
        self.formula = formula
    }

    /// The digits a spreadsheet shows for `value` at its full precision of 15 significant digits: a whole
    /// number without a point, a fraction without trailing zeros (`0.1 + 0.2` is `0.3`).
    public static func digits(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format15: value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}

extension String {
    /// `value` with 15 significant digits (C's `%.15g`).
    init(format15 value: Double) { self = String(format: "%.15g", value) }
}

/// One sheet of a workbook: its cells row by row, its merged ranges, and whether it is hidden.
///
/// Cells are kept as the sheet's XML lists them, rows in order and each row's cells in column order
/// (sorted once when a file lists them otherwise): reading a long table walks them in order, and a cell
/// is found by two binary searches, O(log n).
public struct Worksheet: Sendable {
    /// A row that holds at least one cell.
    public struct Row: Sendable {
        public var number: Int
        public var cells: [(column: Int, cell: WorkbookCell)]

        public init(number: Int, cells: [(column: Int, cell: WorkbookCell)]) {
            self.number = number
            self.cells = cells
        }
    }

    public var name: String
    /// `visible`, `hidden` or `veryHidden`, as the workbook says.
    public var state: String
    /// The rows that hold a cell, in order, each with its cells in column order.
    public private(set) var rows: [Row]
    public var merged: [CellRange]

    public init(name: String, state: String = "visible", rows: [Row] = [], merged: [CellRange] = []) {
        self.name = name
        self.state = state
        self.rows = Self.ordered(rows)
        self.merged = merged
    }

    /// Rows sorted by number and cells by column, a place given twice keeping its last cell, as a
    /// spreadsheet would; rows already in order (every file a spreadsheet writes) cost one pass.
    static func ordered(_ rows: [Row]) -> [Row] {
        let inOrder = zip(rows, rows.dropFirst()).allSatisfy { $0.number < $1.number }
            && rows.allSatisfy { row in zip(row.cells, row.cells.dropFirst()).allSatisfy { $0.column < $1.column } }
        guard !inOrder else { return rows }
        var byNumber: [Int: [Int: WorkbookCell]] = [:]
        for row in rows {
            for entry in row.cells { byNumber[row.number, default: [:]][entry.column] = entry.cell }
        }
        return byNumber.keys.sorted().map { number in
            let cells = byNumber[number]!
            return Row(number: number, cells: cells.keys.sorted().map { (column: $0, cell: cells[$0]!) })
        }
    }

    public var isHidden: Bool { state != "visible" }

    /// How many cells the sheet holds.
    public var cellCount: Int { rows.reduce(0) { $0 + $1.cells.count } }

    /// The first cell in reading order, nil for an empty sheet.
    public var firstCell: CellReference? {
        rows.first.map { CellReference(row: $0.number, column: $0.cells[0].column) }
    }

    /// The cell at `place`, if the sheet holds one there.
    public subscript(place: CellReference) -> WorkbookCell? {
        guard let r = Self.search(rows, place.row, by: \.number) else { return nil }
        let cells = rows[r].cells
        return Self.search(cells, place.column, by: \.column).map { cells[$0].cell }
    }

    private static func search<T>(_ items: [T], _ target: Int, by key: (T) -> Int) -> Int? {
        var low = 0
        var high = items.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let k = key(items[mid])
            if k == target { return mid }
            if k < target { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    /// Every cell with its place, in reading order.
    public func forEachCell(_ body: (CellReference, WorkbookCell) throws -> Void) rethrows {
        for row in rows {
            for entry in row.cells { try body(CellReference(row: row.number, column: entry.column), entry.cell) }
        }
    }

    /// The cell's text, or the text of the merged range's first cell that covers it; "" when empty.
    public func text(at cell: CellReference) -> String {
        if let value = self[cell] { return value.text }
        if let range = merged.first(where: { $0.contains(cell) }) { return self[range.first]?.text ?? "" }
        return ""
    }

    /// `Sheet!C12`, quoting a sheet name that is not a plain word as spreadsheets do (`'Police offences'!C12`).
    public func reference(_ cell: CellReference) -> String {
        CellReference.qualified(name) + "!" + cell.description
    }
}
