import CTSCore

/// A workbook read as a return: its figures as the rows of a CSV return, which `ReturnReader` decodes
/// and checks as it does any other, and where each field came from, so that every finding points at
/// `Sheet!C12`. Two kinds of workbook are read:
/// - a questionnaire workbook (`cts questionnaire workbook`), through the keys on its hidden sheet: each
///   input cell with a figure, status or note becomes a row;
/// - any other workbook as a plain long table on its first sheet, with the CSV return's columns (its
///   header is the first row that names `country` and `value`).
///
/// Cells that are not read are never dropped silently: a formula without a saved result, a figure
/// typed outside the questionnaire's cells, rows above the header and other sheets with content each
/// give a finding.
public struct WorkbookReturn: Sendable {
    /// The return as CSV bytes (UTF-8, every field quoted).
    public private(set) var csv: [UInt8] = []
    /// What reading the workbook found, located at its cells.
    public private(set) var findings: [Finding] = []
    /// The first physical CSV line of each record (the header is record 0 at line 1), and the cell each
    /// of its fields came from.
    private var lineStarts: [Int] = []
    private var places: [[Place?]] = []
    private var nextLine = 1
    let file: String

    struct Place: Sendable {
        var sheet: String
        var cell: CellReference
    }

    /// Turns `workbook` into a return.
    public init(_ workbook: Workbook) {
        file = workbook.file
        if let keys = workbook.sheet(WorkbookLayout.keySheet), keys.text(at: CellReference(row: 1, column: 1)) == "cts workbook" {
            readKeyed(workbook, keys: keys)
        } else {
            readLongTable(workbook)
        }
    }

    /// `location` (a line and field of the CSV form) as the workbook cell it came from; a location of
    /// another file, or of a line the workbook did not give, is returned as it is.
    public func relocate(_ location: SourceLocation) -> SourceLocation {
        guard location.file == file, location.sheet == nil, !lineStarts.isEmpty else { return location }
        // The last record starting at or before the line.
        var low = 0
        var high = lineStarts.count - 1
        guard location.line >= lineStarts[0] else { return location }
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= location.line { low = mid } else { high = mid - 1 }
        }
        let fields = places[low]
        let index = min(max(location.column - 1, 0), fields.count - 1)
        guard index >= 0, let place = fields[index] ?? fields.compactMap({ $0 }).first else { return location }
        return SourceLocation(
            file: file, line: place.cell.row, column: place.cell.column, columnName: location.columnName,
            sheet: place.sheet)
    }

    /// `finding` with its location and related cells in the workbook.
    public func relocate(_ finding: Finding) -> Finding {
        var f = finding
        f.location = f.location.map(relocate)
        f.related = f.related.map(relocate)
        return f
    }

    // MARK: Writing the CSV form

    private mutating func append(_ fields: [String], _ from: [Place?]) {
        lineStarts.append(nextLine)
        places.append(from)
        for (i, field) in fields.enumerated() {
            if i > 0 { csv.append(0x2C) }
            csv.append(0x22)
            for byte in field.utf8 {
                if byte == 0x22 { csv.append(0x22) }
                if byte == 0x0A { nextLine += 1 }
                csv.append(byte)
            }
            csv.append(0x22)
        }
        csv.append(0x0A)
        nextLine += 1
    }

    private mutating func note(
        _ ruleID: String, _ severity: Severity, _ message: String, sheet: Worksheet, cell: CellReference
    ) {
        findings.append(
            Finding(
                ruleID: ruleID, severity: severity, message: message,
                location: SourceLocation(file: file, line: cell.row, column: cell.column, sheet: sheet.name)))
    }

    /// The text a figure or year cell gives, with a finding for a formula without a result or a date;
    /// nil when the cell gives nothing to read.
    private mutating func numericText(_ cell: WorkbookCell?, sheet: Worksheet, at place: CellReference) -> String? {
        guard let cell else { return nil }
        switch cell.kind {
        case .formulaWithoutValue:
            note(
                "xlsx.formula-without-value", .warning,
                "\(sheet.reference(place)) holds the formula =\(cell.formula ?? "") but no saved result, so no figure "
                    + "was read from it. Open the workbook in Excel or LibreOffice and save it (which computes the "
                    + "result), or type the figure.", sheet: sheet, cell: place)
            return nil
        case .date:
            let digits = WorkbookCell.digits(cell.number ?? 0)
            note(
                "xlsx.date-format", .warning,
                "\(sheet.reference(place)) is formatted as a date (shown as \(cell.text)); it was read as the number "
                    + "it holds, \(digits). Format the cell as a number (General) so that it shows what is read.",
                sheet: sheet, cell: place)
            return digits
        default:
            return cell.text
        }
    }

    // MARK: Questionnaire workbooks

    private mutating func readKeyed(_ workbook: Workbook, keys: Worksheet) {
        let meta = Dictionary(
            (1..<WorkbookLayout.keyHeaderRow).map {
                (keys.text(at: CellReference(row: $0, column: 1)), keys.text(at: CellReference(row: $0, column: 2)))
            }, uniquingKeysWith: { a, _ in a })
        let headerRow = WorkbookLayout.keyHeaderRow
        var column: [String: Int] = [:]
        let header = keys.rows.first { $0.number == headerRow }?.cells ?? []
        for entry in header { column[entry.cell.text] = entry.column }
        // The breakdown dimensions are the key columns after the fixed ones, in their order.
        let dimensions = header.map { $0.cell.text }.filter { !WorkbookLayout.keyColumns.contains($0) }
        func field(_ row: Int, _ name: String) -> String {
            column[name].map { keys.text(at: CellReference(row: row, column: $0)) } ?? ""
        }
        let reporter = meta["reporter"] ?? ""
        let questionnaire = "\(meta["questionnaire"] ?? "")/\(meta["version"] ?? "")"
        let keyPlace = Place(sheet: keys.name, cell: CellReference(row: headerRow, column: 1))
        append(
            ["questionnaire", "country", "year", "table", "variable"] + dimensions + ["value", "status", "note"],
            Array(repeating: keyPlace, count: 8 + dimensions.count))
        let lastRow = keys.rows.last?.number ?? headerRow
        var sheets: [String: Worksheet] = [:]
        for sheet in workbook.sheets { sheets[sheet.name] = sheet }
        var keyed: [String: Set<CellReference>] = [:]
        for row in stride(from: headerRow + 1, through: lastRow, by: 1) {
            let sheetName = field(row, "sheet")
            guard let sheet = sheets[sheetName], let valueCell = CellReference(field(row, "value_cell")),
                let statusCell = CellReference(field(row, "status_cell")),
                let noteCell = CellReference(field(row, "note_cell"))
            else {
                if !field(row, "sheet").isEmpty {
                    note(
                        "xlsx.key-broken", .error,
                        "Row \(row) of the hidden sheet \(keys.name) names the sheet \"\(sheetName)\" or cells that the "
                            + "workbook does not have, so that cell could not be read. Do not rename sheets; fill in "
                            + "a new workbook from cts questionnaire workbook.",
                        sheet: keys, cell: CellReference(row: row, column: 1))
                }
                continue
            }
            keyed[sheetName, default: []].formUnion([valueCell, statusCell, noteCell])
            let value = numericText(sheet[valueCell], sheet: sheet, at: valueCell)
            let status = sheet[statusCell]?.text ?? ""
            let noteText = sheet[noteCell]?.text ?? ""
            if sheet[valueCell]?.kind == .formulaWithoutValue && status.isEmpty && noteText.isEmpty { continue }
            guard !(value ?? "").isEmpty || !status.isEmpty || !noteText.isEmpty else { continue }
            let breakdown = dimensions.map { field(row, $0) }
            let at = Place(sheet: sheetName, cell: valueCell)
            append(
                [questionnaire, reporter, field(row, "year"), field(row, "table"), field(row, "variable")] + breakdown
                    + [value ?? "", status, noteText],
                Array(repeating: at, count: 5 + dimensions.count)
                    + [at, Place(sheet: sheetName, cell: statusCell), Place(sheet: sheetName, cell: noteCell)])
        }
        // Anything typed elsewhere in the figures' area, or on a sheet of its own, is not part of the return.
        for sheet in workbook.sheets where sheet.name != keys.name && sheet.name != "Instructions" {
            guard let cells = keyed[sheet.name] else {
                if let first = sheet.firstCell {
                    note(
                        "xlsx.sheet-not-read", .warning,
                        "The sheet \"\(sheet.name)\" is not part of the questionnaire, so its \(sheet.cellCount) "
                            + "cells were not read. Put the figures in the questionnaire's sheets.",
                        sheet: sheet, cell: first)
                }
                continue
            }
            sheet.forEachCell { place, cell in
                guard place.row >= WorkbookLayout.firstRow && place.column >= WorkbookLayout.firstColumn
                    && !cells.contains(place) && !cell.text.isEmpty
                else { return }
                note(
                    "xlsx.cell-not-read", .warning,
                    "\(sheet.reference(place)) holds \"\(cell.text)\" outside the questionnaire's "
                        + "cells, so it was not read. Put figures, statuses and notes only in the columns under "
                        + "Figure, Status and Note, on the rows of the variables.", sheet: sheet, cell: place)
            }
        }
    }

    // MARK: Long tables

    private mutating func readLongTable(_ workbook: Workbook) {
        guard let sheet = workbook.sheets.first(where: { !$0.isHidden }) ?? workbook.sheets.first else {
            append([""], [nil])
            return
        }
        let rows = sheet.rows
        let headerIndex =
            rows.prefix(20).firstIndex { row in
                // The row's own cells and the merged cells that cover it.
                let texts = row.cells.map { $0.cell.text }
                    + sheet.merged.filter { ($0.first.row...$0.last.row).contains(row.number) }.map {
                        sheet[$0.first]?.text ?? ""
                    }
                let names = Set(texts.map { $0.trimmingSpaces().lowercased() })
                return names.contains("country") && names.contains("value")
            } ?? 0
        guard headerIndex < rows.count else {
            append([""], [Place(sheet: sheet.name, cell: CellReference(row: 1, column: 1))])
            return
        }
        let headerRow = rows[headerIndex].number
        let firstColumn = rows[headerIndex].cells.first!.column
        let lastColumn = rows[headerIndex].cells.last!.column
        let columns = Array(firstColumn...lastColumn)
        if headerIndex > 0 {
            note(
                "xlsx.rows-above-header", .info,
                "Rows \(rows[0].number)–\(rows[headerIndex - 1].number) of \"\(sheet.name)\" are above the header row "
                    + "(\(headerRow)) and were not read as figures.", sheet: sheet,
                cell: CellReference(row: rows[0].number, column: rows[0].cells[0].column))
        }
        let header = columns.map { sheet.text(at: CellReference(row: headerRow, column: $0)) }
        let numeric = Set(
            header.enumerated().filter { ["year", "value"].contains($0.element.trimmingSpaces().lowercased()) }.map { $0.offset })
        append(header, columns.map { Place(sheet: sheet.name, cell: CellReference(row: headerRow, column: $0)) })
        for row in rows[(headerIndex + 1)...] {
            let outside = row.cells.filter { $0.column < firstColumn || $0.column > lastColumn }
            for (column, cell) in outside where !cell.text.isEmpty {
                let place = CellReference(row: row.number, column: column)
                note(
                    "xlsx.cell-not-read", .warning,
                    "\(sheet.reference(place)) holds \"\(cell.text)\" in a column without a header, so it was not "
                        + "read. Give the column a header from the return's columns, or move the value.",
                    sheet: sheet, cell: place)
            }
            var fields: [String] = []
            // The row's cells by column, walked beside the header's columns.
            var next = 0
            for (i, column) in columns.enumerated() {
                let place = CellReference(row: row.number, column: column)
                while next < row.cells.count && row.cells[next].column < column { next += 1 }
                let cell = next < row.cells.count && row.cells[next].column == column ? row.cells[next].cell : nil
                fields.append(numeric.contains(i) ? (numericText(cell, sheet: sheet, at: place) ?? "") : (cell?.text ?? ""))
            }
            guard fields.contains(where: { !$0.isEmpty }) else { continue }
            append(fields, columns.map { Place(sheet: sheet.name, cell: CellReference(row: row.number, column: $0)) })
        }
        for other in workbook.sheets where other.name != sheet.name && other.cellCount > 0 && !other.isHidden {
            note(
                "xlsx.sheet-not-read", .warning,
                "Only the first sheet (\"\(sheet.name)\") is read as the return; \"\(other.name)\" holds "
                    + "\(other.cellCount) cells that were not read. Put all rows on the first sheet.",
                sheet: other, cell: other.firstCell!)
        }
    }
}
