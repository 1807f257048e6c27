import CTSCore
import CXLSXWriter

/// Writes a `WorkbookLayout` as an `.xlsx` workbook with libxlsxwriter: an instructions sheet, one sheet
/// per table (labels locked, panes frozen, every input cell validated), and the hidden key sheet that
/// lets `WorkbookReturn` read it back exactly. The file appears complete or not at all.
public struct WorkbookWriter {
    public var layout: WorkbookLayout
    /// Who answers questions about the questionnaire, shown on the instructions sheet.
    public var contact: String

    public init(layout: WorkbookLayout, contact: String) {
        self.layout = layout
        self.contact = contact
    }

    public func write(to path: String) throws {
        try AtomicFile.write(to: path) { temporary in
            let file = try XLSXFile(path: temporary)
            let formats = Formats(file)
            try writeInstructions(file, formats)
            for sheet in layout.sheets { try writeTable(sheet, file, formats) }
            try writeKeys(file)
            file.setProperties(title: "\(layout.questionnaire.id) \(layout.questionnaire.version): \(layout.reporterName) \(layout.reportingYear)", author: "cts \(CTSVersion.current)")
            try file.close()
        }
    }

    struct Formats {
        let title, bold, text, wrap, header, headerYear, headerInput, label, code, small: XLSXFile.Format
        let held, heldText, input, inputText: XLSXFile.Format

        init(_ file: XLSXFile) {
            title = file.format(.init(bold: true, size: 14))
            bold = file.format(.init(bold: true))
            text = file.format(.init())
            wrap = file.format(.init(wrap: true))
            header = file.format(.init(bold: true, wrap: true, fill: 0xD9E1F2, border: true, center: true))
            headerYear = file.format(.init(bold: true, fill: 0xB4C6E7, border: true, center: true))
            headerInput = file.format(.init(bold: true, fill: 0xFFD966, border: true, center: true))
            label = file.format(.init(wrap: true, border: true))
            code = file.format(.init(border: true, textFormat: true))
            small = file.format(.init(fontColor: 0x808080, border: true))
            held = file.format(.init(unlocked: true, fill: 0xE7E6E6, border: true))
            heldText = file.format(.init(unlocked: true, fill: 0xE7E6E6, border: true, textFormat: true))
            input = file.format(.init(unlocked: true, fill: 0xFFF2CC, border: true))
            inputText = file.format(.init(unlocked: true, fill: 0xFFF2CC, border: true, textFormat: true))
        }
    }

    private var heldYears: String {
        let earlier = layout.years.dropFirst()
        guard let first = earlier.last, let last = earlier.first else { return "" }
        return first == last ? "\(first)" : "\(first)–\(last)"
    }

    private func writeInstructions(_ file: XLSXFile, _ f: Formats) throws {
        let sheet = try file.addSheet("Instructions")
        let q = layout.questionnaire
        sheet.columnWidth(0, 0, 8)
        sheet.columnWidth(1, 1, 90)
        sheet.write(0, 0, "\(q.title)", f.title)
        sheet.write(1, 0, "Return of \(layout.reporterName) (\(layout.reporter)) for \(layout.reportingYear)", f.bold)
        sheet.write(2, 0, "Questionnaire \(q.id), version \(q.version)", f.text)
        var lines = [
            "Each table has its own sheet. Its rows are offences and other variables, with their ICCS code; "
                + "its columns are years and breakdowns, each with three columns: Figure, Status and Note.",
            "Fill in the figures for \(layout.reportingYear) in the yellow cells.",
        ]
        if !heldYears.isEmpty {
            lines.append(
                "The grey cells hold the figures for \(heldYears) as they are held now. Correct any that has "
                    + "changed (a revision) and say why in its note; leave the others as they are.")
        }
        lines += [
            "Figures are counts: whole numbers of 0 or more, typed as numbers, without thousands separators. "
                + "An estimate may have decimals: give it status E.",
            "A missing figure: leave the figure empty and choose its status. L: it exists but was not "
                + "collected. M: it cannot exist or does not apply. K: it is counted in another category "
                + "(say which in the note).",
            "Status, from the drop-down list; leave it empty for a normal figure:",
        ]
        var row = 4
        for line in lines {
            sheet.merge(row, 0, to: row, 1, line, f.wrap)
            sheet.rowHeight(row, line.count > 110 ? 30 : 15)
            row += 1
        }
        for status in ObservationStatus.allCases {
            sheet.write(row, 0, status.rawValue, f.code)
            sheet.write(row, 1, status.meaning, f.label)
            row += 1
        }
        row += 1
        for line in [
            "Do not add, delete or move rows or columns, and do not rename the sheets: the workbook is read "
                + "back cell by cell. Save it as .xlsx (Excel 2007-365).",
            layout.sheets.contains { $0.table.nationalCategories }
                ? "The sheet of national offence categories has a row for each category held; send a new "
                    + "category as a CSV return."
                : "Figures by national offence category are sent as a CSV return.",
            "Questions: \(contact)",
        ] {
            sheet.merge(row, 0, to: row, 1, line, f.wrap)
            sheet.rowHeight(row, line.count > 110 ? 30 : 15)
            row += 1
        }
        sheet.printSetup(landscape: false, wide: 1)
        sheet.protect()
        sheet.activate()
    }

    private func writeTable(_ layoutSheet: WorkbookLayout.Sheet, _ file: XLSXFile, _ f: Formats) throws {
        let sheet = try file.addSheet(layoutSheet.name)
        let table = layoutSheet.table
        let first = WorkbookLayout.firstColumn - 1
        let top = WorkbookLayout.firstRow - 1
        let blocks = layoutSheet.blocks
        let lastRow = top + table.variables.count - 1
        sheet.write(0, 0, table.title, f.title)
        var line2 = "Unit: \(table.unit). Fill in \(layout.reportingYear) in the yellow cells"
        if !heldYears.isEmpty { line2 += "; the grey cells hold \(heldYears) as held now (correct them if needed)" }
        sheet.write(1, 0, line2 + ".", f.text)
        sheet.columnWidth(0, 0, 9)
        sheet.columnWidth(1, 1, 44)
        sheet.columnWidth(2, 2, 18)
        for (h, title) in ["ICCS", "Variable", "Id"].enumerated() { sheet.merge(3, h, to: 5, h, title, f.header) }
        // Years over their blocks, breakdowns over their three columns.
        var start = 0
        while start < blocks.count {
            var end = start
            while end + 1 < blocks.count && blocks[end + 1].year == blocks[start].year { end += 1 }
            let year = blocks[start].year
            let title = year == layout.reportingYear ? "\(year): to fill in" : "\(year): held now"
            sheet.merge(3, first + 3 * start, to: 3, first + 3 * end + 2, title,
                year == layout.reportingYear ? f.headerInput : f.headerYear)
            start = end + 1
        }
        for (b, block) in blocks.enumerated() {
            let column = first + 3 * b
            sheet.merge(4, column, to: 4, column + 2, block.label, f.header)
            sheet.write(5, column, "Figure", f.header)
            sheet.write(5, column + 1, "Status", f.header)
            sheet.write(5, column + 2, "Note", f.header)
            sheet.columnWidth(column, column, 11)
            sheet.columnWidth(column + 1, column + 1, 7)
            sheet.columnWidth(column + 2, column + 2, 18)
        }
        for (v, variable) in table.variables.enumerated() {
            sheet.write(top + v, 0, variable.iccs?.rawValue ?? "", f.code)
            sheet.write(top + v, 1, variable.label, f.label)
            sheet.write(top + v, 2, variable.id, f.small)
            for (b, block) in blocks.enumerated() {
                let column = first + 3 * b
                let input = block.year == layout.reportingYear
                let held = layoutSheet.prefill[b]?[v]
                if let held, let number = Double(held.value) {
                    sheet.write(top + v, column, number: number, input ? f.input : f.held)
                } else {
                    sheet.write(top + v, column, held?.value ?? "", input ? f.input : f.held)
                }
                sheet.write(top + v, column + 1, held?.status ?? "", input ? f.inputText : f.heldText)
                sheet.write(top + v, column + 2, held?.note ?? "", input ? f.inputText : f.heldText)
            }
        }
        let statuses = ObservationStatus.allCases.map(\.rawValue)
        for b in blocks.indices {
            let column = first + 3 * b
            let value = CellReference(row: top + 1, column: column + 1).description
            let status = CellReference(row: top + 1, column: column + 2).description
            sheet.formula(
                (top, column, lastRow, column),
                "=AND(ISNUMBER(\(value)),\(value)>=0,OR(\(value)=INT(\(value)),\(status)=\"E\"))",
                title: "Figure",
                message: "A figure is a number of 0 or more, typed without thousands separators: a whole number, "
                    + "or with decimals if its status is E (estimate). Leave it empty when it is missing and set "
                    + "the status.")
            sheet.list(
                (top, column + 1, lastRow, column + 1), statuses, title: "Status",
                message: "Choose a status from the list: "
                    + ObservationStatus.allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: "; "))
        }
        sheet.freeze(rows: top, columns: first)
        // Printed landscape, four blocks of figures to a page's width, labels repeated on each page.
        sheet.printSetup(landscape: true, wide: (blocks.count + 3) / 4, rows: top, columns: first)
        sheet.protect()

    }

    /// The hidden sheet: what the workbook is for, and every input cell's key, row by row.
    private func writeKeys(_ file: XLSXFile) throws {
        let sheet = try file.addSheet(WorkbookLayout.keySheet)
        let q = layout.questionnaire
        let meta: [(String, String)] = [
            ("cts workbook", WorkbookLayout.format), ("questionnaire", q.id), ("version", q.version),
            ("reporter", layout.reporter), ("reporting_year", String(layout.reportingYear)),
            ("input_area", CellReference(row: WorkbookLayout.firstRow, column: WorkbookLayout.firstColumn).description),
        ]
        for (r, (name, value)) in meta.enumerated() {
            sheet.write(r, 0, name)
            sheet.write(r, 1, value)
        }
        let header = WorkbookLayout.keyColumns + q.dimensionIDs
        for (c, name) in header.enumerated() { sheet.write(WorkbookLayout.keyHeaderRow - 1, c, name) }
        var row = WorkbookLayout.keyHeaderRow
        for layoutSheet in layout.sheets {
            for (v, variable) in layoutSheet.table.variables.enumerated() {
                for (b, block) in layoutSheet.blocks.enumerated() {
                    let cells = layoutSheet.cells(variable: v, block: b)
                    let values = [
                        layoutSheet.name, cells.value.description, cells.status.description, cells.note.description,
                        layoutSheet.table.id, variable.id, String(block.year),
                    ] + block.breakdown
                    for (c, value) in values.enumerated() { sheet.write(row, c, value) }
                    row += 1
                }
            }
        }
        sheet.hide()
    }
}
