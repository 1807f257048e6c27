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
    /// Findings of a rule beyond the first `FindingLimit.perRule`: counted (in `count` and `skipped` too),
    /// not listed.
    public var omitted: [OmittedFindings]

    /// A report from counts: `countries` and `years` sorted.
    public init(
        file: String, questionnaire: Questionnaire?, rows: Int, cellCount: Int, countries: [String], years: [Int],
        findings: [Finding], omitted: [OmittedFindings] = []
    ) {
        self.omitted = omitted
        self.file = file
        self.questionnaire = questionnaire?.reference
        self.dimensions = questionnaire?.dimensionIDs ?? []
        self.rows = rows
        self.cells = cellCount
        self.countries = countries
        self.years = years
        // Sorted by position, so that each finding is moved once rather than at every merge. Positions are
        // read once; whole findings are compared only where two share one.
        let places = findings.map(\.place)
        let order = findings.withUnsafeBufferPointer { all in
            findings.indices.sorted { a, b in
                Finding.reportOrder(places[a], places[b]) ?? Finding.samePlaceOrder(all[a], all[b])
            }
        }
        self.findings = order.map { findings[$0] }
    }

    // Counted by index: each finding's fields are read in place, not the finding copied.
    /// Findings of `severity`, checks failed and revisions alike (skipped checks are counted apart).
    public func count(_ severity: Severity) -> Int {
        findings.indices.reduce(0) { $0 + (findings[$1].kind != .skipped && findings[$1].severity == severity ? 1 : 0) }
            + omitted.reduce(0) { $0 + ($1.kind != .skipped && $1.severity == severity ? $1.count : 0) }
    }

    /// Cells that replace a figure the store holds (each `revision.*` finding with a `Revision`).
    public var revisions: Int {
        findings.indices.reduce(0) { $0 + (findings[$1].revision != nil ? 1 : 0) }
            + omitted.reduce(0) { $0 + ($1.kind == .revision && $1.ruleID != "revision.series-break" ? $1.count : 0) }
    }

    public var skipped: Int {
        findings.indices.reduce(0) { $0 + (findings[$1].kind == .skipped ? 1 : 0) }
            + omitted.reduce(0) { $0 + ($1.kind == .skipped ? $1.count : 0) }
    }

    public var hasErrors: Bool { count(.error) > 0 }
}
