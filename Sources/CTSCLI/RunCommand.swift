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
            is validated and, when it has no errors, stored (returns already stored are left as they are); \
            the store is aggregated into trend tables and charts, and exported as CSV and SDMX-CSV. Returns \
            with errors are listed; --strict makes them fail the run.

            Examples:
              cts run
              cts run --submissions incoming --db outputs/cts.sqlite --output outputs --base-year 2015
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

    @Flag(name: .shortAndLong, help: "Print a line for every return, not only for rejected ones.")
    var verbose = false

    func run() throws {
        let console = Console.current
        let ws = try Workspace.load(
            questionnaires: workspace.questionnaires, reference: workspace.reference, choose: nil)
        console.out(
            "Questionnaires: " + ws.catalog.questionnaires.map(\.reference).sorted().joined(separator: ", ")
                + " (lint clean)\n")
        let (files, unreadableInput) = Workspace.returnFiles([submissions], console: console)
        var unreadable = unreadableInput
        let opened = try store.open()
        let ingestion = Ingestion(
            workspace: ws, store: opened, reader: ws.reader(encoding: .utf8), correspondence: nil,
            allowErrors: false, receivedAt: nil)
        var counts: [Ingestion.Outcome: Int] = [:]
        for file in files {
            do {
                let (outcome, line) = try ingestion.ingest(file)
                counts[outcome, default: 0] += 1
                if verbose || outcome == .rejected { console.out(line + "\n") }
            } catch let error as InputError {
                console.err("cts: \(error)\n")
                unreadable = true
            }
        }
        console.out(
            "Returns: \(files.count) in \(submissions): \(counts[.stored] ?? 0) stored, "
                + "\(counts[.unchanged] ?? 0) already stored, \(counts[.rejected] ?? 0) rejected.\n")
        let dimensions = ws.catalog.defaultQuestionnaire?.dimensionIDs ?? []
        console.out(
            try aggregation.run(
                store: opened, storePath: store.db, reference: ws.reference, referenceDirectory: workspace.reference,
                dimensions: dimensions, output: output) + "\n")
        let observations = try opened.observations(asOf: aggregation.asOf.flatMap { Timestamp.parse($0) })
        let derived = Composites.derive(observations, units: ws.reference.countries.reportingUnits)
        let exported = try ExportCommand.write(observations + derived, dimensions: dimensions, to: output)
        console.out("Exported \(exported) observations to \(output)/observations.csv and observations.sdmx.csv.\n")
        if unreadable { throw ExitCode(2) }
        if strict && (counts[.rejected] ?? 0) > 0 { throw ExitCode(1) }
    }
}
