import ArgumentParser
import CTSCore
import CTSIO
import Foundation

/// `cts import`: published data turned into returns, which then go through validate and ingest.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn data published elsewhere into returns (one CSV per country) for validate and ingest.",
        subcommands: [EurostatImportCommand.self, UNODCImportCommand.self])

    /// The reference tables and the default questionnaire an import writes returns for.
    static func load(_ workspace: WorkspaceOptions, console: Console) throws -> (ReferenceData, Questionnaire) {
        let reference = try Workspace.loadReference(workspace.reference)
        guard let questionnaire = workspace.defaultQuestionnaire(reference) else {
            console.err("cts: the questionnaires in \(workspace.questionnaires) do not load; run cts questionnaire lint.\n")
            throw ExitCode(2)
        }
        return (reference, questionnaire)
    }

    /// Writes `returns` as `COUNTRY-suffix.csv` in `output`: an earlier import's file with the same bytes
    /// is left as it is, one that differs only with `replace`. Returns how many were written and unchanged.
    static func write(
        _ returns: [EurostatImport.Return], header: [String], suffix: String, output: String, replace: Bool,
        console: Console
    ) throws -> (written: Int, unchanged: Int) {
        try FileSystem.makeDirectory(output)
        var unchanged = 0
        var conflicts: [String] = []
        var files: [(String, String)] = []
        for r in returns {
            let path = "\(output)/\(r.reporter)-\(suffix).csv"
            let content = CSVWriter.row(header) + r.rows.map(CSVWriter.row).joined()
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
        for (path, content) in files { try AtomicFile.write(content, to: path) }
        return (files.count, unchanged)
    }
}

/// `cts import eurostat FILE`: Eurostat's bulk TSV of police-recorded offences by ICCS category.
struct EurostatImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eurostat",
        abstract: "Import Eurostat's offences by ICCS category (bulk TSV or SDMX-CSV, e.g. crim_off_cat) as returns.",
        discussion: """
            Each ICCS code goes to the questionnaire's variable of that code; geo codes go through the \
            country aliases (EL is GRC, XK is XKX; UKC-L, UKM and UKN are England and Wales, Scotland and \
            Northern Ireland); flags become statuses (p P, e E, b B, d D; others are kept in the note); \
            rates (P_HTHAB) are left out, and missing values (:) are kept with status L in years the reporter \
            has other figures. Rows that cannot be imported are listed with their line and reason. The bulk \
            TSV and SDMX-CSV (1.0 or 2.0, codes alone or with labels) are told apart by their header. The \
            returns are written as COUNTRY-eurostat.csv.

            Examples:
              cts import eurostat estat_crim_off_cat.tsv --output imports
              cts import eurostat crim_off_cat.sdmx.csv --output imports
              cts validate imports && cts ingest imports
            """)

    @Argument(help: "Eurostat's bulk TSV or SDMX-CSV file.")
    var file: String

    @Option(help: "Folder for the returns.")
    var output = "imports/eurostat"

    @Flag(help: "Replace returns of an earlier import that differ.")
    var replace = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let console = Console.current
        let (reference, questionnaire) = try ImportCommand.load(workspace, console: console)
        let bytes = try FileInput.readAll(file)
        let firstLine = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self).uppercased()
        let imported: EurostatImport
        if firstLine.contains("OBS_VALUE") && firstLine.contains("TIME_PERIOD") {
            imported = try EurostatImport(
                sdmx: try CSVTable.records(of: bytes, file: file), file: file, questionnaire: questionnaire, countries: reference.countries)
        } else {
            imported = try EurostatImport(
                text: String(decoding: bytes, as: UTF8.self), file: file, questionnaire: questionnaire,
                countries: reference.countries)
        }
        let (written, unchanged) = try ImportCommand.write(
            imported.returns, header: EurostatImport.header(questionnaire), suffix: "eurostat", output: output,
            replace: replace, console: console)
        for s in imported.skipped { console.out("\(file):\(s.line): skipped \(s.key): \(s.reason)\n") }
        console.out(
            "Imported \(imported.figures) figures of \(imported.returns.count) reporter\(imported.returns.count == 1 ? "" : "s") "
                + "from \(file) into \(output): "
                + "\(written) returns written, \(unchanged) unchanged; \(imported.missingKept) values not available (:) kept "
                + "as empty with status L. Left out: \(imported.rateRows) rows of rates, \(imported.missingValues) values "
                + "not available (:) in years the reporter has no figure, \(imported.skipped.count) rows listed above.\n")
    }
}

/// `cts import unodc FILE...`: UNODC's data-portal exports (police-recorded offences, homicide).
struct UNODCImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unodc",
        abstract: "Import UNODC's data-portal exports (long layout, as downloaded) as returns.",
        discussion: """
            The indicator, dimension and category of each row go to a questionnaire variable through \
            reference/unodc_import.csv (--mapping to give another); sex Total, Male, Female become _T, M, F; \
            codes go through the country aliases (KOS is XKX). Counts only: rates are left out, counts with \
            decimals are sent as estimates (E). The banner lines before the header are passed over, and \
            Windows-1252 is read as such. Every row not imported is counted with its reason. The returns are \
            written as COUNTRY-unodc.csv.

            Examples:
              cts import unodc data_cts_violent_and_sexual_crime.csv --output imports/unodc
              cts validate imports/unodc
            """)

    @Argument(help: "UNODC's CSV exports.")
    var files: [String]

    @Option(help: "Folder for the returns.")
    var output = "imports/unodc"

    @Option(help: "The mapping of UNODC's indicators and categories to variables (default: the reference's).")
    var mapping: String?

    @Option(help: "Encoding of the exports: utf-8 or windows-1252 (default: utf-8 when the bytes are, else windows-1252).")
    var encoding: TextEncoding?

    @Flag(help: "Replace returns of an earlier import that differ.")
    var replace = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let console = Console.current
        let (reference, questionnaire) = try ImportCommand.load(workspace, console: console)
        let map = try UNODCImport.mapping(
            CSVTable.read(
                path: mapping ?? workspace.reference + "/unodc_import.csv",
                required: ["indicator", "dimension", "category", "table", "variable"]))
        var all: [String: [[String]]] = [:]
        for file in files {
            let bytes = try FileInput.readAll(file)
            let chosen = encoding ?? (String(bytes: bytes, encoding: .utf8) != nil ? .utf8 : .windows1252)
            let imported = try UNODCImport(
                records: try CSVTable.records(of: bytes, file: file, encoding: chosen), file: file, mapping: map, questionnaire: questionnaire, countries: reference.countries)
            for r in imported.returns { all[r.reporter, default: []] += r.rows }
            for (reason, entry) in imported.skipped.sorted(by: { $0.key < $1.key }) {
                console.out(
                    "\(file): skipped \(entry.count) row\(entry.count == 1 ? "" : "s"): \(reason) (lines "
                        + entry.lines.map(String.init).joined(separator: ", ") + (entry.count > entry.lines.count ? ", …" : "")
                        + ")\n")
            }
            console.out(
                "\(file) (\(chosen.rawValue)\(imported.preamble > 0 ? ", \(imported.preamble) banner lines passed over" : "")): "
                    + "\(imported.figures) figures of \(imported.returns.count) reporters; left out \(imported.rateRows) rows "
                    + "of rates and \(imported.skipped.values.reduce(0) { $0 + $1.count }) rows listed above.\n")
        }
        let returns = all.keys.sorted().map { EurostatImport.Return(reporter: $0, rows: all[$0]!) }
        let (written, unchanged) = try ImportCommand.write(
            returns, header: EurostatImport.header(questionnaire), suffix: "unodc", output: output, replace: replace,
            console: console)
        console.out("Wrote \(written) returns into \(output) (\(unchanged) unchanged).\n")
    }
}
