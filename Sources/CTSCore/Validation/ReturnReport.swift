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
        // Sorted by position, so that each finding is moved once rather than at every merge.
        self.findings = findings.indices.sorted { Finding.reportOrder(findings[$0], findings[$1]) }.map { findings[$0] }
    }

    public func count(_ severity: Severity) -> Int {
        findings.reduce(0) { $0 + ($1.kind == .failed && $1.severity == severity ? 1 : 0) }
    }

    public var skipped: Int { findings.reduce(0) { $0 + ($1.kind == .skipped ? 1 : 0) } }

    public var hasErrors: Bool { count(.error) > 0 }
}
