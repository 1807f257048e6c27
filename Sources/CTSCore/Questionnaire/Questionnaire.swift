/// A questionnaire definition: its code lists, tables, variables and review rules.
///
/// Loaded from `questionnaires/*.yaml` by `QuestionnaireLoader`; the structure implies further checks
/// (totals, ICCS parents, code lists, reference years, duplicates) that `Validator` derives.
public struct Questionnaire: Sendable {
    public var id: String
    public var version: String
    public var title: String
    /// First and last reference year a return may report.
    public var referenceYears: ClosedRange<Int>
    public var codeLists: [CodeList]
    public var tables: [Table]
    public var rules: [Rule]
    /// Severity of the derived check "a breakdown total equals the sum of its parts".
    public var breakdownTotalSeverity: Severity
    /// Severity of the derived check "an ICCS parent is at least the sum of its reported children".
    public var iccsParentSeverity: Severity
    /// How returns are compared with the reporter's stored figures (revisions, outliers).
    public var history: HistorySettings
    /// The file it was loaded from, for messages.
    public var source: String

    public init(
        id: String, version: String, title: String, referenceYears: ClosedRange<Int>, codeLists: [CodeList],
        tables: [Table], rules: [Rule], breakdownTotalSeverity: Severity = .error,
        iccsParentSeverity: Severity = .warning, history: HistorySettings = HistorySettings(), source: String = ""
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.referenceYears = referenceYears
        self.codeLists = codeLists
        self.tables = tables
        self.rules = rules
        self.breakdownTotalSeverity = breakdownTotalSeverity
        self.iccsParentSeverity = iccsParentSeverity
        self.history = history
        self.source = source
    }

    /// `ID/VERSION`, the form a return's `questionnaire` column uses.
    public var reference: String { "\(id)/\(version)" }

    /// The dimension ids in questionnaire order: these are the breakdown columns of a return.
    public var dimensionIDs: [String] { codeLists.map(\.id) }

    public func table(_ id: String) -> Table? { tables.first { $0.id == id } }

    public func codeList(_ id: String) -> CodeList? { codeLists.first { $0.id == id } }

    /// The cell key of the total of `variable` in `table` for a country-year.
    public func totalKey(country: String, year: Int, table: Table, variable: String) -> CellKey {
        CellKey(country: country, year: year, table: table.id, variable: variable, breakdown: totalBreakdown(of: table))
    }

    /// A breakdown with every dimension `table` takes at its grand total and the others empty.
    public func totalBreakdown(of table: Table) -> [String] {
        codeLists.map { list in table.breakdowns.contains(list.id) ? (list.grandTotal ?? "") : "" }
    }
}
