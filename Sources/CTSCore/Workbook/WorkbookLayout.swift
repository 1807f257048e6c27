/// Where everything goes in a questionnaire workbook for one reporter: one sheet per table, its
/// variables as rows, the years (the reporting year first) × breakdowns as blocks of three columns
/// (figure, status, note), and the figures the store holds for the earlier years. Pure: the writer
/// (`WorkbookWriter`, libxlsxwriter) draws it, and the reader finds its cells through the keys it
/// records on the hidden sheet `WorkbookLayout.keySheet`.
public struct WorkbookLayout: Sendable {
    /// The hidden sheet that records the questionnaire, reporter and every input cell's key.
    public static let keySheet = "cts_keys"
    /// The version of the key sheet's layout, written in its B1.
    public static let format = "1"
    /// Rows 1–6 of a table sheet hold its title and headers; variables start on row 7.
    public static let firstRow = 7
    /// Columns A–C hold the ICCS code, the label and the variable id; figures start in column D.
    public static let firstColumn = 4
    /// The key sheet's columns, on its header row (`keyHeaderRow`).
    public static let keyColumns = [
        "sheet", "value_cell", "status_cell", "note_cell", "table", "variable", "year",
    ]
    public static let keyHeaderRow = 8

    /// One block of three columns: a year and a combination of breakdown codes.
    public struct Block: Sendable, Hashable {
        public var year: Int
        /// Codes in the order of the questionnaire's dimensions; "" for a dimension the table lacks.
        public var breakdown: [String]
        /// `Total`, `Male`, `Female / Adult (18 or older)`.
        public var label: String
    }

    /// A figure already held, shown (greyed) in its input cells.
    public struct Prefill: Sendable, Hashable {
        public var value: String
        public var status: String
        public var note: String
    }

    /// One table's sheet.
    public struct Sheet: Sendable {
        public var name: String
        public var table: Table
        public var blocks: [Block]
        /// Held figures by block index, then variable index.
        public var prefill: [Int: [Int: Prefill]]

        /// The value, status and note cells of `variable` (an index into the table's variables) in `block`.
        public func cells(variable: Int, block: Int) -> (value: CellReference, status: CellReference, note: CellReference) {
            let row = WorkbookLayout.firstRow + variable
            let column = WorkbookLayout.firstColumn + 3 * block
            return (
                CellReference(row: row, column: column), CellReference(row: row, column: column + 1),
                CellReference(row: row, column: column + 2)
            )
        }
    }

    public var questionnaire: Questionnaire
    public var reporter: String
    public var reporterName: String
    public var reportingYear: Int
    /// The years shown, the reporting year first, then the earlier ones, latest first.
    public var years: [Int]
    public var sheets: [Sheet]
    /// Held figures not shown because their year is outside `years` (or, in a national table, their
    /// category has no figure in those years).
    public var notShown: Int

    /// Lays out `questionnaire` for `reporter`: `previousYears` years before `reportingYear`, pre-filled
    /// from `held` (the reporter's current figures). Breakdown columns are each table's total, each
    /// code of each breakdown with the others at their total, and any other combination `held` has in
    /// the years shown. A table of national categories has a sheet only when the reporter has figures
    /// in it in the years shown: its rows are those categories (the country's own codes).
    public init(
        questionnaire: Questionnaire, reporter: String, reporterName: String, reportingYear: Int,
        previousYears: Int, held: [ReturnCell]
    ) {
        self.questionnaire = questionnaire
        self.reporter = reporter
        self.reporterName = reporterName
        self.reportingYear = reportingYear
        let years = (0...max(0, previousYears)).map { reportingYear - $0 }
        self.years = years
        let shown = Set(years)
        var notShown = 0
        var sheets: [Sheet] = []
        for var table in questionnaire.tables {
            let cells = held.filter { $0.key.table == table.id }
            if table.nationalCategories {
                let codes = Set(cells.filter { shown.contains($0.key.year) }.map(\.key.variable)).sorted()
                table.variables = codes.map {
                    Variable(id: $0, label: "National category \($0)", iccs: nil, required: false)
                }
            }
            if table.variables.isEmpty {
                notShown += cells.count
                continue
            }
            var combinations = Self.standardCombinations(table: table, questionnaire: questionnaire)
            for cell in cells where shown.contains(cell.key.year) && !combinations.contains(cell.key.breakdown) {
                if table.variable(cell.key.variable) != nil { combinations.append(cell.key.breakdown) }
            }
            combinations = Self.sorted(combinations, questionnaire: questionnaire)
            var blocks: [Block] = []
            for year in years {
                for codes in combinations {
                    blocks.append(Block(year: year, breakdown: codes, label: Self.label(codes, questionnaire: questionnaire)))
                }
            }
            var blockIndex: [Block.Key: Int] = [:]
            for (i, block) in blocks.enumerated() { blockIndex[Block.Key(year: block.year, breakdown: block.breakdown)] = i }
            var prefill: [Int: [Int: Prefill]] = [:]
            for cell in cells {
                guard let b = blockIndex[Block.Key(year: cell.key.year, breakdown: cell.key.breakdown)],
                    let v = table.variables.firstIndex(where: { $0.id == cell.key.variable })
                else {
                    notShown += 1
                    continue
                }
                prefill[b, default: [:]][v] = Prefill(
                    value: cell.rawValue, status: cell.status == .normal ? "" : cell.status.rawValue, note: cell.note)
            }
            sheets.append(Sheet(name: Self.sheetName(table.id), table: table, blocks: blocks, prefill: prefill))
        }
        self.sheets = sheets
        self.notShown = notShown
    }

    /// A sheet name spreadsheets accept: at most 31 characters, none of `[]:*?/\`.
    static func sheetName(_ id: String) -> String {
        String(id.filter { !"[]:*?/\\".contains($0) }.prefix(31))
    }

    /// The table's total, then each code of each of its breakdowns with the others at their total.
    static func standardCombinations(table: Table, questionnaire: Questionnaire) -> [[String]] {
        let total = questionnaire.totalBreakdown(of: table)
        var combinations = [total]
        for (index, dimension) in questionnaire.dimensionIDs.enumerated() where table.breakdowns.contains(dimension) {
            for code in questionnaire.codeList(dimension)?.codes ?? [] where code.code != total[index] {
                var codes = total
                codes[index] = code.code
                combinations.append(codes)
            }
        }
        return combinations
    }

    /// Combinations in a stable order: fewer codes away from the total first, then by the first dimension
    /// away from its total, then by the code lists' order.
    static func sorted(_ combinations: [[String]], questionnaire: Questionnaire) -> [[String]] {
        let lists = questionnaire.codeLists
        func rank(_ codes: [String]) -> [Int] {
            let positions = codes.enumerated().map { i, code in
                code.isEmpty ? -1 : (lists[i].codes.firstIndex { $0.code == code } ?? lists[i].codes.count)
            }
            let awayFrom = codes.enumerated().filter { i, code in !code.isEmpty && code != lists[i].grandTotal }.map(\.offset)
            return [awayFrom.count, awayFrom.first ?? -1] + positions
        }
        return combinations.sorted { rank($0).lexicographicallyPrecedes(rank($1)) }
    }

    /// `Total`, or the labels of the codes away from the total joined by ` / `.
    static func label(_ codes: [String], questionnaire: Questionnaire) -> String {
        let parts = codes.enumerated().compactMap { i, code -> String? in
            let list = questionnaire.codeLists[i]
            guard !code.isEmpty, code != list.grandTotal else { return nil }
            return list.codes.first { $0.code == code }?.label ?? code
        }
        return parts.isEmpty ? "Total" : parts.joined(separator: " / ")
    }
}

extension WorkbookLayout.Block {
    struct Key: Hashable {
        var year: Int
        var breakdown: [String]
    }
}
