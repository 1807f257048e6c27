/// Turns the rows of a return into cells, checking each field on the way. Pure: strings in, cells and findings out.
///
/// Column names are matched without regard to case or surrounding spaces. Required columns are `country`,
/// `year`, `table`, `variable`, one per breakdown dimension, `value`, `status` and `note`; `questionnaire`
/// (`ID/VERSION`) is optional.
public struct ReturnRowDecoder {
    public static let baseColumns = ["country", "year", "table", "variable", "value", "status", "note"]
    /// Columns a return may add: `questionnaire` (`ID/VERSION`) and `action` (empty, `report` or `withdraw`).
    public static let optionalColumns = ["questionnaire", "action"]

    public let file: String
    public private(set) var questionnaire: Questionnaire?
    /// Findings about the header (unknown, missing or repeated columns).
    public private(set) var headerFindings: [Finding] = []

    public let header: [String]
    private let catalog: QuestionnaireCatalog
    let countries: CountryRegistry
    private var index: [String: Int] = [:]
    /// Positions of the columns every row reads, looked up once from the header.
    var columns = Columns()
    /// What the byte path (`decode(_:line:into:)`) has recognized so far.
    var known = KnownFields()

    struct Columns {
        var country = 0, year = 0, table = 0, variable = 0, value = 0, status = 0, note = 0
        var questionnaire: Int? = nil
        var action: Int? = nil
    }
    var dimensionColumns: [Int] = []
    var ready = false
    var stopped = false

    /// Checks the header; rows are decoded once the questionnaire is known (from the first row, or the default).
    public init(header: [String], file: String, catalog: QuestionnaireCatalog, countries: CountryRegistry) {
        self.header = header
        self.file = file
        self.catalog = catalog
        self.countries = countries
        var unnamed: [Int] = []
        var repeated: [Int] = []
        for (i, raw) in header.enumerated() {
            let name = Self.normalize(raw)
            if name.isEmpty {
                unnamed.append(i)
            } else if index[name] != nil {
                repeated.append(i)
            } else {
                index[name] = i
            }
        }
        // Unnamed columns (a row of trailing commas) make one finding, not one per column.
        if let first = unnamed.first {
            headerFindings.append(
                headerError(
                    "column.empty-name",
                    unnamed.count == 1
                        ? "Column \(first + 1) has no name. Name it or delete the column."
                        : "\(unnamed.count) columns have no name: " + Self.positions(unnamed)
                            + ". Name them or delete them.", column: first))
        }
        for i in repeated.prefix(Self.listedColumns) {
            headerFindings.append(
                headerError(
                    "column.duplicate", "The column \"\(header[i])\" appears twice. Keep one of them.", column: i))
        }
        if repeated.count > Self.listedColumns {
            headerFindings.append(
                headerError(
                    "column.duplicate",
                    "\(repeated.count - Self.listedColumns) more columns repeat an earlier one: "
                        + Self.positions(Array(repeated.dropFirst(Self.listedColumns))) + ". Keep one of each.",
                    column: repeated[Self.listedColumns]))
        }
        let missing = Self.baseColumns.filter { index[$0] == nil }
        if missing.isEmpty {
            columns = Columns(
                country: index["country"]!, year: index["year"]!, table: index["table"]!, variable: index["variable"]!,
                value: index["value"]!, status: index["status"]!, note: index["note"]!,
                questionnaire: index["questionnaire"], action: index["action"])
        }
        if !missing.isEmpty {
            headerFindings.append(
                headerError(
                    "column.missing",
                    "The header has no \(missing.joined(separator: ", ")) column\(missing.count > 1 ? "s" : ""). "
                        + "A return needs: \(Self.baseColumns.joined(separator: ", ")) and one column per breakdown.",
                    column: nil))
            stopped = true
        }
        if index["questionnaire"] == nil {
            if let q = catalog.defaultQuestionnaire {
                select(q)
            } else {
                headerFindings.append(
                    headerError(
                        "column.missing",
                        "Several questionnaires are loaded and the return has no questionnaire column. Add a column "
                            + "questionnaire with ID/VERSION, or choose one with --questionnaire.",
                        column: nil))
                stopped = true
            }
        }
    }

    /// Header columns with a problem that get a finding each; one more finding counts the rest, so that a
    /// header of a million bad columns costs one finding, not a million.
    public static let listedColumns = 20

    /// "columns 6, 7, 8, … and 1000005" (1-based), naming at most the first three and the last.
    static func positions(_ columns: [Int]) -> String {
        let named = columns.count <= 4 ? columns : Array(columns.prefix(3))
        var text = "columns " + named.map { String($0 + 1) }.joined(separator: ", ")
        if columns.count > 4 { text += ", … and \(columns.last! + 1)" }
        return text
    }

    static func normalize(_ name: String) -> String {
        name.trimmingSpaces().lowercased()
    }

    private func headerError(_ id: String, _ message: String, column: Int?) -> Finding {
        Finding(
            ruleID: id, severity: .error, message: message,
            location: SourceLocation(
                file: file, line: 1, column: (column ?? 0) + 1, columnName: column.map { header[$0] }))
    }

    private mutating func select(_ q: Questionnaire) {
        questionnaire = q
        ready = true
        var missing: [String] = []
        dimensionColumns = q.dimensionIDs.map { id in
            if let i = index[id] { return i }
            missing.append(id)
            return -1
        }
        let known = Set(Self.baseColumns + Self.optionalColumns + q.dimensionIDs)
        let unknown = header.indices.filter { i in
            let name = Self.normalize(header[i])
            return !known.contains(name) && !name.isEmpty
        }
        // Each unknown column has its finding, up to a point: past it, one finding counts the rest.
        let listed = Self.listedColumns
        if unknown.count > listed {
            headerFindings.append(
                headerError(
                    "column.unknown",
                    "\(unknown.count - listed) more columns are not part of questionnaire \(q.reference): "
                        + Self.positions(Array(unknown.dropFirst(listed))) + ". Remove them or rename them.",
                    column: unknown[listed]))
        }
        for i in unknown.prefix(listed) {
            let raw = header[i]
            headerFindings.append(
                headerError(
                    "column.unknown",
                    "The column \"\(raw)\" is not part of questionnaire \(q.reference). Expected columns: "
                        + (Self.baseColumns.prefix(4) + q.dimensionIDs + Self.baseColumns.suffix(3)).joined(
                            separator: ", ")
                        + ". Remove it or rename it.",
                    column: i))
        }
        if !missing.isEmpty {
            headerFindings.append(
                headerError(
                    "column.missing",
                    "The header has no column for the breakdown\(missing.count > 1 ? "s" : "") "
                        + "\(missing.joined(separator: ", ")) of questionnaire \(q.reference). Add "
                        + "\(missing.count > 1 ? "them" : "it"), leaving cells empty where a table has no such breakdown.",
                    column: nil))
            stopped = true
        }
    }

    /// Decodes one data row (1-based `line` of the row's start). Returns the cell, when it can be keyed,
    /// and every problem found in the row.
    public mutating func decode(_ fields: [String], line: Int) -> (cell: ReturnCell?, findings: [Finding]) {
        if stopped { return (nil, []) }
        var findings: [Finding] = []
        func loc(_ column: Int) -> SourceLocation {
            SourceLocation(file: file, line: line, column: column + 1, columnName: header[safe: column])
        }
        // Row-level findings are grouped under the row's table whenever that table is known.
        let rowTable = columns.table < fields.count ? questionnaire?.table(fields[columns.table])?.id : nil
        func fail(_ id: String, _ message: String, _ column: Int, key: CellKey? = nil, table: String? = nil) {
            findings.append(
                Finding(
                    ruleID: id, severity: .error, message: message, location: loc(column), cell: key,
                    table: table ?? rowTable))
        }
        guard fields.count == header.count else {
            let plural = fields.count == 1 ? "" : "s"
            fail(
                "csv.ragged-row",
                "This row has \(fields.count) field\(plural) but the header has \(header.count). Check for a missing "
                    + "or extra separator, or a value with a separator that is not in quotes.",
                min(fields.count, header.count) - 1 < 0 ? 0 : min(fields.count, header.count) - 1)
            return (nil, findings)
        }
        if !ready, let qi = columns.questionnaire {
            switch catalog.find(fields[qi].trimmingSpaces()) {
            case .success(let q): select(q)
            case .failure(let message):
                fail("questionnaire.unknown", "The return names \(message).", qi)
                stopped = true
                return (nil, findings)
            }
            if stopped { return (nil, findings) }
        }
        guard let q = questionnaire else { return (nil, findings) }
        if let qi = columns.questionnaire, fields[qi].trimmingSpaces() != q.reference {
            fail(
                "questionnaire.mixed",
                "This row names questionnaire \"\(fields[qi])\" but the return started with \(q.reference). "
                    + "A return follows one questionnaire.", qi)
            return (nil, findings)
        }
        let ci = columns.country
        let yi = columns.year
        let ti = columns.table
        let vi = columns.variable
        let country = fields[ci]
        if case .rejected(let message) = countries.check(country) { fail("country.unknown", message, ci) }

        let yearText = fields[yi]
        var year: Int? = nil
        if let y = CellValueParser.year(yearText) {
            year = y
            if !q.referenceYears.contains(y) {
                fail(
                    "year.out-of-range",
                    "The year \(y) is outside the reference period of questionnaire \(q.reference) "
                        + "(\(q.referenceYears.lowerBound)–\(q.referenceYears.upperBound)).", yi)
            }
        } else {
            fail("year.invalid", "The year \"\(yearText)\" is not a four-digit year such as 2021.", yi)
        }

        let table = q.table(fields[ti])
        if table == nil {
            fail(
                "table.unknown",
                "There is no table \"\(fields[ti])\" in questionnaire \(q.reference). Tables: "
                    + q.tables.map(\.id).joined(separator: ", ") + ".", ti)
        }
        let variableID = fields[vi]
        if let table, !table.accepts(variable: variableID), table.nationalCategories {
            fail(
                "variable.unknown", "Table \(table.id) takes the national offence code here; it is empty.", vi,
                table: table.id)
        } else if let table, !table.accepts(variable: variableID) {
            fail(
                "variable.unknown",
                "Table \(table.id) has no variable \"\(variableID)\". Its variables: "
                    + table.variables.map(\.id).joined(separator: ", ") + ".", vi, table: table.id)
        }

        var breakdown: [String] = []
        for (d, list) in q.codeLists.enumerated() {
            let column = dimensionColumns[d]
            let code = fields[column]
            guard let table else {
                breakdown.append(code)
                continue
            }
            let known = list.codes.first(where: { $0.code == code })
            switch Self.breakdownField(
                taken: table.breakdowns.contains(list.id), isEmpty: code.isEmpty, isKnownCode: known != nil,
                isGrandTotal: code == list.grandTotal)
            {
            case .code:
                // The questionnaire's own string: every cell shares it instead of holding a copy.
                breakdown.append(known!.code)
            case .none:
                breakdown.append("")
            case .missing:
                fail(
                    "breakdown.missing",
                    "Table \(table.id) is broken down by \(list.id): write a code here (\(list.grandTotal ?? "") "
                        + "for the total). Codes: " + describeCodes(list) + ".", column, table: table.id)
                breakdown.append(code)
            case .unknown:
                let byLabel = list.codes.first { $0.label.lowercased() == code.lowercased() }
                let hint = byLabel.map { " Write the code \($0.code) for \($0.label)." } ?? ""
                fail(
                    "breakdown.unknown-code",
                    "\"\(code)\" is not a code of \(list.id).\(hint) Codes: " + describeCodes(list) + ".",
                    column, table: table.id)
                breakdown.append(code)
            case .notInTable:
                fail(
                    "breakdown.not-in-table",
                    "Table \(table.id) is not broken down by \(list.id); leave this cell empty.", column,
                    table: table.id)
                breakdown.append(code)
            }
        }
        guard findings.isEmpty, let year, let table else { return (nil, findings) }

        let key = CellKey(
            country: country, year: year, table: table.id, variable: table.variable(variableID)?.id ?? variableID,
            breakdown: breakdown)
        let si = columns.status
        let ni = columns.note
        let vali = columns.value
        if let ai = columns.action {
            switch fields[ai].trimmingSpaces().lowercased() {
            case "", "report": break
            case "withdraw":
                guard fields[vali].isEmpty, fields[si].isEmpty else {
                    fail(
                        "action.withdraw-with-value",
                        "A row that withdraws a cell carries no value and no status. Empty them, or remove "
                            + "\"withdraw\" to report the value.", vali, key: key)
                    return (nil, findings)
                }
                let cell = ReturnCell(
                    key: key, value: nil, rawValue: "", status: .notApplicable, note: fields[ni], location: loc(ai),
                    isWithdrawal: true)
                return (cell, findings)
            default:
                fail(
                    "action.unknown",
                    "The action \"\(fields[ai])\" is not known. Leave it empty to report the cell, or write "
                        + "withdraw to take back a cell sent in an earlier return.", ai, key: key)
                return (nil, findings)
            }
        }
        var invalid = false
        let status: ObservationStatus
        switch CellValueParser.status(fields[si]) {
        case .success(let s): status = s
        case .failure(let p):
            fail(p.ruleID, p.message, si, key: key)
            status = .normal
            invalid = true
        }
        var value: Double? = nil
        if !invalid {
            switch CellValueParser.value(fields[vali], status: status) {
            case .success(let v): value = v
            case .failure(let p):
                fail(p.ruleID, p.message, vali, key: key)
                invalid = true
            }
        }
        let cell = ReturnCell(
            key: key, value: value, rawValue: fields[vali], status: status, note: fields[ni],
            location: loc(vali), isInvalid: invalid)
        return (cell, findings)
    }

    /// What a breakdown field says, by the one rule both readings of a row follow.
    enum BreakdownField {
        /// A code of a dimension the table is broken down by.
        case code
        /// No breakdown: the dimension is not the table's, and the field is empty or its grand total.
        case none
        /// Empty where the table needs a code.
        case missing
        /// Not a code of the dimension.
        case unknown
        /// A code of a dimension the table is not broken down by.
        case notInTable
    }

    static func breakdownField(taken: Bool, isEmpty: Bool, isKnownCode: Bool, isGrandTotal: Bool) -> BreakdownField {
        if taken { return isKnownCode ? .code : isEmpty ? .missing : .unknown }
        return isEmpty || isGrandTotal ? .none : .notInTable
    }

    private func describeCodes(_ list: CodeList) -> String {
        list.codes.map { "\($0.code) (\($0.label))" }.joined(separator: ", ")
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and non-breaking spaces.
    public func trimmingSpaces() -> String {
        let isSpace = { (c: Character) in c == " " || c == "\t" || c == "\u{00A0}" || c == "\r" || c == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
