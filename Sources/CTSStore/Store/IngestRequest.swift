import CTSCore

/// Everything ingest records about one return, prepared outside the store.
public struct IngestRequest: Sendable {
    public var fileName: String
    public var sha256: String
    public var questionnaire: Questionnaire
    /// When the return was received, in `Timestamp` form; nil means now, taken once the store's write
    /// lock is held, so concurrent ingests get times in the order they are stored.
    public var receivedAt: String?
    /// True when the return had errors and was stored anyway (`--allow-errors`).
    public var acceptedWithErrors: Bool
    /// A remap (`cts remap`): every cell replaces its current vintage even when its figure is the same,
    /// so that the new observations (another correspondence) form a vintage of their own.
    public var remap = false
    public var findings: [Finding]
    /// Findings past the limit of their rule: stored as counts in the submission's errors and warnings.
    public var omitted: [OmittedFindings] = []
    public var cells: [ReturnCell]
    /// The normalized observations of each cell, by its index in `cells` (none for withdrawals).
    public var observations: [Int: [Observation]]
    /// For national figures: what the correspondence table did with each, by index in `cells`.
    public var national: [Int: Normalizer.NationalMapping]

    /// The countries the cells are for (a superset is fine): given when the cells come one at a time
    /// in batches (`Store.ingest(_:cells:)`), taken from `cells` otherwise.
    public var reporters: [String]

    /// Stores a batch of cells with their observations and national mappings, in order. Batches, not
    /// single cells: the store reads each cell where it lies in the array, where a cell handed to a
    /// closure one at a time is copied, retaining and releasing each of its texts.
    public typealias CellSink = ([PreparedCell]) throws -> Void

    public init(
        fileName: String, sha256: String, questionnaire: Questionnaire, receivedAt: String?, acceptedWithErrors: Bool,
        findings: [Finding], cells: [ReturnCell], observations: [Int: [Observation]],
        national: [Int: Normalizer.NationalMapping] = [:]
    ) {
        self.fileName = fileName
        self.sha256 = sha256
        self.questionnaire = questionnaire
        self.receivedAt = receivedAt
        self.acceptedWithErrors = acceptedWithErrors
        self.findings = findings
        self.cells = cells
        self.observations = observations
        self.national = national
        self.reporters = Array(Set(cells.map(\.key.country)))
    }

    /// A request whose cells are handed over one at a time in batches (`Store.ingest(_:cells:)`).
    public init(
        fileName: String, sha256: String, questionnaire: Questionnaire, receivedAt: String?, acceptedWithErrors: Bool,
        findings: [Finding], omitted: [OmittedFindings] = [], reporters: [String]
    ) {
        self.init(
            fileName: fileName, sha256: sha256, questionnaire: questionnaire, receivedAt: receivedAt,
            acceptedWithErrors: acceptedWithErrors, findings: findings, cells: [], observations: [:])
        self.reporters = reporters
        self.omitted = omitted
    }

    /// The errors and warnings of the return, those past the limit of their rule included, as
    /// `ReturnReport.count` counts them (failed checks and revisions; not skipped checks).
    var counts: (errors: Int, warnings: Int) {
        func count(_ severity: Severity) -> Int {
            findings.filter { $0.kind != .skipped && $0.severity == severity }.count
                + omitted.reduce(0) { $0 + ($1.kind != .skipped && $1.severity == severity ? $1.count : 0) }
        }
        return (count(.error), count(.warning))
    }
}

/// What ingesting a return changed in the store.
public struct IngestResult: Sendable, Equatable, Encodable {
    public var submissionID: Int
    /// True when the same bytes had been ingested before; nothing changed then.
    public var alreadyIngested: Bool
    public var receivedAt: String
    public var added = 0
    public var revised = 0
    public var unchanged = 0
    public var withdrawn = 0
    /// Withdrawals of cells the store did not hold.
    public var nothingToWithdraw = 0
    /// Cells stored again with their figure unchanged and new observations (`cts remap`).
    public var remapped = 0
    /// National figures by what their mapping did (`mapped`, `split`, `excluded`, `unmapped`).
    public var national: [String: Int] = [:]
}

/// One vintage of a cell, as `cts history` lists it.
public struct CellVintage: Sendable, Equatable, Encodable {
    public var reporter: String
    public var year: Int
    public var table: String
    public var variable: String
    public var breakdown: String
    public var action: String
    public var rawValue: String
    public var status: String
    public var note: String
    public var validFrom: String
    public var validTo: String?
    public var submissionID: Int
    public var fileName: String
    public var line: Int
    /// For a figure from a workbook: its cell, `police_offences!D7` (`line` is then its row).
    public var sheetCell: String?
}
