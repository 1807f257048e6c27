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

/// One sheet of a workbook: its cells by place, its merged ranges, and whether it is hidden.
public struct Worksheet: Sendable {
    public var name: String
    /// `visible`, `hidden` or `veryHidden`, as the workbook says.
    public var state: String
    public var cells: [CellReference: WorkbookCell]
    public var merged: [CellRange]

    public init(name: String, state: String = "visible", cells: [CellReference: WorkbookCell] = [:], merged: [CellRange] = []) {
        self.name = name
        self.state = state
        self.cells = cells
        self.merged = merged
    }

    public var isHidden: Bool { state != "visible" }

    /// The cell's text, or the text of the merged range's first cell that covers it; "" when empty.
    public func text(at cell: CellReference) -> String {
        if let value = cells[cell] { return value.text }
        if let range = merged.first(where: { $0.contains(cell) }) { return cells[range.first]?.text ?? "" }
        return ""
    }

    /// The rows that hold a cell, in order, each with its cells in column order.
    public func rows() -> [(row: Int, cells: [(column: Int, cell: WorkbookCell)])] {
        var byRow: [Int: [(column: Int, cell: WorkbookCell)]] = [:]
        for (place, cell) in cells { byRow[place.row, default: []].append((place.column, cell)) }
        return byRow.keys.sorted().map { row in (row, byRow[row]!.sorted { $0.column < $1.column }) }
    }

    /// `Sheet!C12`, quoting a sheet name that is not a plain word as spreadsheets do (`'Police offences'!C12`).
    public func reference(_ cell: CellReference) -> String {
        CellReference.qualified(name) + "!" + cell.description
    }
}
