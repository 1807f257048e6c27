/// A place in an input file: 1-based line and column.
///
/// For CSV returns `column` is the 1-based field number and `columnName` the header of that field;
/// for YAML and rule text it is the 1-based character column.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var columnName: String?
    /// For a workbook: the sheet the cell is on; `line` and `column` are then its row and column there.
    public var sheet: String?

    public init(file: String, line: Int, column: Int, columnName: String? = nil, sheet: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.sheet = sheet
    }

    /// In a workbook, the cell as spreadsheets write it: `Homicide!C12`, `'Police offences'!C12`.
    public var cellReference: String? {
        sheet.map { CellReference.qualified($0) + "!" + CellReference(row: line, column: column).description }
    }

    /// The place within its file, for a reader: `Homicide!C12` in a workbook, else `line 12`.
    public var place: String { cellReference ?? "line \(line)" }

    /// `file:line:column`, the form editors and terminals turn into links; in a workbook `file:Sheet!C12`.
    public var description: String {
        if let cellReference { return "\(file):\(cellReference)" }
        return "\(file):\(line):\(column)"
    }
}

/// An error in an input that carries where it happened and how to fix it.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier of the kind of problem, e.g. `csv.encoding`; used as the finding's rule id.
    public var code: String
    public var location: SourceLocation?
    public var message: String
    public var fix: String?

    public init(
        _ message: String, code: String = "input.invalid", at location: SourceLocation? = nil, fix: String? = nil
    ) {
        self.code = code
        self.message = message
        self.location = location
        self.fix = fix
    }

    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += "error: \(message)"
        if let fix { text += "\n  fix: \(fix)" }
        return text
    }
}

/// A name that does not resolve (a table, variable, dimension, code or questionnaire), with the explanation.
public struct NameError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension InputError {
    /// The error as an error-severity finding, with the fix appended to the message.
    public var finding: Finding {
        Finding(ruleID: code, severity: .error, message: message + (fix.map { " " + $0 } ?? ""), location: location)
    }
}
