import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

/// `cts remap COUNTRY --correspondence TABLE`: a country's stored national figures mapped again.
struct RemapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remap",
        abstract: "Map a country's stored national offence figures to ICCS again, with a new correspondence table.",
        discussion: """
            Countries revise their correspondence tables, and old years are then mapped again. remap takes the \
            country's current figures of the national-categories tables from the store, maps them with the \
            table given, and stores them as a new submission in one transaction: every figure keeps its value, \
            and its observations are the new mapping's. The old mapping stays in the history (cts history) and \
            in what --as-of shows for any time before.

            Examples:
              cts remap CHL --correspondence chile-iccs-2024.csv
              cts remap CHL --correspondence Final_TC_2023.csv --code-column CUM --label-column "GLOSA 2023" \\
                --iccs-columns "N1-2023 UNODC,N2-2023 UNODC,N3-2023 UNODC,N4-2023 UNODC" --skip-invalid-rows
            """)

    @Argument(help: "The reporter whose national figures are mapped again (e.g. CHL).")
    var country: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var correspondenceOptions: CorrespondenceOptions

    @Option(help: "When the new table was received (YYYY-MM-DD or an ISO 8601 UTC time); default now.")
    var receivedAt: String?

    func validate() throws {
        guard correspondenceOptions.correspondence != nil else {
            throw ValidationError("Give the table to map with: --correspondence TABLE.")
        }
        if let receivedAt, Timestamp.parse(receivedAt, endOfDay: false) == nil {
            throw ValidationError("--received-at must be a real date or time, such as 2026-06-30, not \(receivedAt).")
        }
    }

    func run() throws {
        let console = Console.current
        let ws = try Workspace.load(
            questionnaires: workspace.questionnaires, reference: workspace.reference, choose: nil)
        guard let correspondence = try correspondenceOptions.load(ws, console: console),
            let questionnaire = ws.catalog.defaultQuestionnaire
        else { throw ExitCode(2) }
        let opened = try store.openExisting()
        let national = questionnaire.tables.filter(\.nationalCategories).map(\.id)
        let stored = try opened.currentCells(
            reporter: country, tables: national, dimensions: questionnaire.dimensionIDs)
        guard !stored.isEmpty else {
            console.err(
                "cts: the store holds no national offence figures of \(country) (tables \(national.joined(separator: ", "))); nothing to remap.\n"
            )
            throw ExitCode(1)
        }
        // Each figure under the questionnaire of the return it came from, when the catalog has it.
        let normalizers = Dictionary(grouping: stored, by: \.questionnaire).mapValues { cells in
            Normalizer(
                questionnaire: (try? ws.catalog.find(cells[0].questionnaire).get()) ?? questionnaire,
                countries: ws.reference.countries, correspondence: correspondence)
        }
        let table = correspondenceOptions.correspondence!
        var hasher = SHA256()
        hasher.update(Array("remap \(country) \(table)".utf8))
        try FileInput.forEachChunk(table) { hasher.update($0) }
        hasher.update(Array(Timestamp.now().utf8))
        let request = {
            var r = IngestRequest(
                fileName: "remap of \(country) with \(table)", sha256: hasher.finalize(), questionnaire: questionnaire,
                receivedAt: receivedAt.flatMap { Timestamp.parse($0, endOfDay: false) }, acceptedWithErrors: false,
                findings: [], reporters: [country])
            r.remap = true
            return r
        }()
        let result = try opened.ingest(request) { put in
            try put(stored.map { PreparedCell($0.cell, normalizer: normalizers[$0.questionnaire]!) })
        }
        let outcomes = result.national.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        console.out(
            "Remapped \(country) as submission \(result.submissionID): \(result.remapped + result.revised) national "
                + "figures stored again with the new mapping (\(outcomes.joined(separator: ", "))); the earlier "
                + "mapping stays in the history.\n")
    }
}
