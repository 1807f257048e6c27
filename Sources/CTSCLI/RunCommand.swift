import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

/// `cts run`: the whole pipeline on a folder of returns.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Lint the questionnaires, validate and ingest every return, aggregate, and write all outputs.",
        discussion: """
            Runs the yearly job in one go: questionnaires are linted; each return in the submissions folder \
            is validated, gets an HTML feedback report, and, when it has no errors, is stored (returns already \
            stored are left as they are); the store is aggregated into trend tables, charts and an HTML index, \
            and exported as CSV and SDMX-CSV. Returns with errors are listed; --strict makes them fail the run.

            Examples:
              cts run
              cts run --submissions incoming --db outputs/cts.sqlite --output outputs --base-year 2015
              cts run --quiet --format json > run.json
            """)

    @Option(help: "Folder of returns (CSV).")
    var submissions = "submissions"

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var aggregation: AggregationArguments

    @Option(help: "Folder for the outputs.")
    var output = "outputs"

    @Flag(help: "Exit with status 1 when any return was rejected.")
    var strict = false

    @Flag(help: "Check each return alone, without the store's figures for what it does not hold.")
    var noHistory = false

    @Flag(name: .shortAndLong, help: "Print a line for every return, not only for rejected ones.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "No progress bar and no line per return, only the summary.")
    var quiet = false

    @Option(help: "Output: text for people, json for programs.")
    var format = OutputFormat.text

    struct Summary: Encodable {
        var questionnaires: [String]
        var returns: [Ingestion.Ingested]
        var stored: Int
        var alreadyStored: Int
        var rejected: Int
        var aggregation: AggregationSummary
        var exported: Int
        var output: String
    }

    func run() throws {
        let console = Console.current
        let text = format == .text
        let ws = try Workspace.load(
            questionnaires: workspace.questionnaires, reference: workspace.reference, choose: nil)
        let questionnaires = ws.catalog.questionnaires.map(\.reference).sorted()
        if text { console.out("Questionnaires: " + questionnaires.joined(separator: ", ") + " (lint clean)\n") }
        let (files, unreadableInput, skipped) = Workspace.returnFiles([submissions], console: console)
        var unreadable = unreadableInput
        let opened = try store.open()
        let reader = ws.reader(encoding: .utf8)
        let ingestion = Ingestion(
            workspace: ws, store: opened, reader: reader, correspondence: nil, allowErrors: false, receivedAt: nil)
        // The feedback reports are written aside and put in place as one folder once every return is done:
        // an interrupted run leaves the previous reports whole, and those of returns no longer sent go.
        let reportStaging = try OutputStaging(output: output)
        try FileSystem.makeDirectory(reportStaging.path + "/reports")
        let feedback = FeedbackWriter(workspace: ws, store: opened, directory: reportStaging.path + "/reports")
        var reports: [TrendIndex.ReportLink] = []
        var unwritten = 0
        var results: [Ingestion.Ingested] = []
        let progress = Progress(total: files.count, console: console, quiet: quiet || !text)
        for file in files {
            progress.step(file)
            do {
                let checked = try ws.check(file, with: reader, store: noHistory ? nil : opened)
                do {
                    if let path = try feedback.write(file, checked: checked, reader: reader) {
                        reports.append(
                            .init(
                                file: "reports/" + (path.split(separator: "/").last.map(String.init) ?? path),
                                name: String(file.split(separator: "/").last ?? Substring(file)),
                                errors: checked.report.count(.error), warnings: checked.report.count(.warning)))
                    }
                } catch let error as InputError {
                    // The return is still stored (or rejected) as it deserves; the missing report is said
                    // here and counted in the summary, and the run ends with status 2.
                    console.err("cts: the feedback report of \(file) was not written: \(error)\n")
                    unwritten += 1
                }
                let ingested = try ingestion.ingest(file, checked: checked)
                results.append(ingested)
                if text && !quiet && (verbose || ingested.outcome == .rejected) { console.out(ingested.line + "\n") }
            } catch let error as InputError {
                console.err("cts: \(error)\n")
                unreadable = true
            }
        }
        progress.finish()
        try reportStaging.publish(["reports"])
        FreedMemory.release()
        func count(_ o: Ingestion.Outcome) -> Int { results.filter { $0.outcome == o }.count }
        let dimensions = ws.catalog.defaultQuestionnaire?.dimensionIDs ?? []
        let aggregated = try aggregation.run(
            store: opened, storePath: store.db, reference: ws.reference, referenceDirectory: workspace.reference,
            questionnaire: ws.catalog.defaultQuestionnaire, output: output, reports: reports, exporting: true)
        FreedMemory.release()
        let (exported, _) = try ExportCommand.write(
            try opened.observationList(asOf: aggregation.asOf.flatMap { Timestamp.parse($0) }),
            units: ws.reference.countries.reportingUnits, dimensions: dimensions, to: output)
        if text {
            console.out(
                "Returns: \(files.count) in \(submissions): \(count(.stored)) stored, \(count(.unchanged)) already "
                    + "stored, \(count(.rejected)) rejected\(skipped > 0 ? "; \(skipped) other entries skipped (listed above)" : "")"
                    + (unwritten > 0
                        ? "; \(unwritten) feedback report\(unwritten == 1 ? "" : "s") not written (listed above)" : "")
                    + ". Feedback reports in \(output)/reports.\n")
            console.out(aggregated.line + "\n")
            console.out(
                "Exported \(exported) observations to \(output)/observations.csv and observations.sdmx.csv. "
                    + "Start at \(output)/index.html.\n")
        } else {
            console.out(
                try OutputFormat.json(
                    command: "run",
                    Summary(
                        questionnaires: questionnaires, returns: results, stored: count(.stored),
                        alreadyStored: count(.unchanged), rejected: count(.rejected), aggregation: aggregated,
                        exported: exported, output: output)))
        }
        if unreadable || unwritten > 0 { throw ExitCode(2) }
        if strict && count(.rejected) > 0 { throw ExitCode(1) }
    }
}
