import ArgumentParser
import CTSCore
import CTSIO
import Foundation

/// `cts import`: published data turned into returns, which then go through validate and ingest.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn data published elsewhere into returns (one CSV per country) for validate and ingest.",
        subcommands: [EurostatImportCommand.self])
}

/// `cts import eurostat FILE`: Eurostat's bulk TSV of police-recorded offences by ICCS category.
struct EurostatImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eurostat",
        abstract: "Import Eurostat's offences by ICCS category (bulk TSV, e.g. crim_off_cat) as returns.",
        discussion: """
            Each ICCS code goes to the questionnaire's variable of that code; geo codes go through the \
            country aliases (EL is GRC, XK is XKX; UKC-L, UKM and UKN are England and Wales, Scotland and \
            Northern Ireland); flags become statuses (p P, e E, b B, d D; others are kept in the note); \
            rates (P_HTHAB) and missing values (:) are left out. Rows that cannot be imported are listed \
            with their line and reason. The returns are written as COUNTRY-eurostat.csv.

            Examples:
              cts import eurostat estat_crim_off_cat.tsv --output imports
              cts validate imports && cts ingest imports
            """)

    @Argument(help: "Eurostat's bulk TSV file.")
    var file: String

    @Option(help: "Folder for the returns.")
    var output = "imports/eurostat"

    @Flag(help: "Replace returns of an earlier import that differ.")
    var replace = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let console = Console.current
        let reference = try Workspace.loadReference(workspace.reference)
        guard let questionnaire = workspace.defaultQuestionnaire(reference) else {
            console.err("cts: the questionnaires in \(workspace.questionnaires) do not load; run cts questionnaire lint.\n")
            throw ExitCode(2)
        }
        let text = String(decoding: try FileInput.readAll(file), as: UTF8.self)
        let imported = try EurostatImport(
            text: text, file: file, questionnaire: questionnaire, countries: reference.countries)
        try FileSystem.makeDirectory(output)
        var written = 0
        var unchanged = 0
        var conflicts: [String] = []
        var files: [(String, String)] = []
        for r in imported.returns {
            let path = "\(output)/\(r.reporter)-eurostat.csv"
            let content = CSVWriter.row(EurostatImport.header(questionnaire)) + r.rows.map(CSVWriter.row).joined()
            if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
                if existing == content {
                    unchanged += 1
                    continue
                }
                if !replace { conflicts.append(path) }
            }
            files.append((path, content))
        }
        guard conflicts.isEmpty else {
            console.err(
                "cts: these returns of an earlier import differ from this one and were left as they are: "
                    + conflicts.joined(separator: ", ") + ". Give --replace to write them, or another --output.\n")
            throw ExitCode(1)
        }
        for (path, content) in files {
            try AtomicFile.write(content, to: path)
            written += 1
        }
        for s in imported.skipped { console.out("\(file):\(s.line): skipped \(s.key): \(s.reason)\n") }
        console.out(
            "Imported \(imported.figures) figures of \(imported.returns.count) reporters from \(file) into \(output): "
                + "\(written) returns written, \(unchanged) unchanged; \(imported.missingKept) values not available (:) kept "
                + "as empty with status L. Left out: \(imported.rateRows) rows of rates, \(imported.missingValues) values "
                + "not available (:) in years the reporter has no figure, \(imported.skipped.count) rows listed above.\n")
    }
}
