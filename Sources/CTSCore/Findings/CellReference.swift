/// A cell's place on a worksheet, written `C12`: column letters and a row number, both counted from 1.
public struct CellReference: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Reads `C12` (or `$C$12`); nil when it is not a cell reference.
    public init?(_ text: some StringProtocol) {
        var column = 0
        var row = 0
        var digits = false
        for scalar in text.unicodeScalars where scalar != "$" {
            let v = scalar.value
            if !digits, (65...90).contains(v) || (97...122).contains(v) {
                column = column * 26 + Int((v & ~0x20) - 64)
                if column > 16_384 { return nil }
            } else if (48...57).contains(v) {
                digits = true
                row = row * 10 + Int(v - 48)
                if row > 1_048_576 { return nil }
            } else {
                return nil
            }
        }
        guard column > 0, row > 0 else { return nil }
        self.init(row: row, column: column)
    }

    /// The column's letters: 1 is A, 27 is AA.
    public static func letters(_ column: Int) -> String {
        var n = column
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    public var description: String { Self.letters(column) + String(row) }

    /// A sheet's name as a reference writes it: quoted when it is not a plain word (`'Police offences'`).
    public static func qualified(_ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_"
        }
        return plain ? name : "'" + name.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    public static func < (a: CellReference, b: CellReference) -> Bool {
        (a.row, a.column) < (b.row, b.column)
    }
}

/// A rectangle of cells, written `A1:C3` (merged cells, a sheet's extent).
public struct CellRange: Hashable, Sendable {
    public var first: CellReference
    public var last: CellReference

    public init(first: CellReference, last: CellReference) {
        self.first = first
        self.last = last
    }

    /// Reads `A1:C3`, or `B2` as a one-cell range.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":")
        guard (1...2).contains(parts.count), let a = CellReference(parts[0]), let b = CellReference(parts.last!)
        else { return nil }
        self.init(
            first: CellReference(row: min(a.row, b.row), column: min(a.column, b.column)),
            last: CellReference(row: max(a.row, b.row), column: max(a.column, b.column)))
    }

    public func contains(_ cell: CellReference) -> Bool {
        (first.row...last.row).contains(cell.row) && (first.column...last.column).contains(cell.column)
    }
}
