/// Everything `cts validate` found in one return, with counts for the summary line.
public struct ReturnReport: Sendable {
    public var file: String
    public var questionnaire: String?
    /// The questionnaire's dimension ids, naming the entries of each finding's cell breakdown.
    public var dimensions: [String]
    public var rows: Int
    public var cells: Int
    public var countries: [String]
    public var years: [Int]
    public var findings: [Finding]

    public init(file: String, questionnaire: Questionnaire?, rows: Int, cells: [ReturnCell], findings: [Finding]) {
        self.init(
            file: file, questionnaire: questionnaire, rows: rows, cellCount: cells.count,
            countries: Array(Set(cells.map(\.key.country))).sorted(), years: Array(Set(cells.map(\.key.year))).sorted(),
            findings: findings)
    }

    /// A report from counts: `countries` and `years` sorted.
    public init(
        file: String, questionnaire: Questionnaire?, rows: Int, cellCount: Int, countries: [String], years: [Int],
        findings: [Finding]
    ) {
        self.file = file
        self.questionnaire = questionnaire?.reference
        self.dimensions = questionnaire?.dimensionIDs ?? []
        self.rows = rows
        self.cells = cellCount
        self.countries = countries
        self.years = years
        self.findings = findings.sorted(by: Finding.reportOrder)
    }

    public func count(_ severity: Severity) -> Int {
        findings.filter { $0.kind == .failed && $0.severity == severity }.count
    }

    public var skipped: Int { findings.filter { $0.kind == .skipped }.count }

    public var hasErrors: Bool { count(.error) > 0 }
}
