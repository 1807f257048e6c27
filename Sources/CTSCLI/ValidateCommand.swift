import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

/// `cts validate RETURN|DIR...`: check returns cell by cell and report every finding.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check returns cell by cell against their questionnaire.",
        discussion: """
            Examples:
              cts validate submissions/KEN-2021.csv
              cts validate submissions --report outputs/findings.json
              cts validate return.csv --encoding windows-1252 --show-skipped
            """)

    @OptionGroup var returns: ReturnOptions

    @Option(help: "Also write every finding, skipped checks included, to this .json or .csv file.")
    var report: String?

    @Flag(help: "List the checks that were skipped because a figure was missing.")
    var showSkipped = false

    @Flag(name: .shortAndLong, help: "Print only the summary line of each return, and no progress bar.")
    var quiet = false

    @Option(help: "Output: text for people, json for programs (every finding, as --report writes it).")
    var format = OutputFormat.text

    @Option(
        help:
            "The store whose figures stand in for those the return does not hold: the previous year for prev(), required figures a correction leaves out (used only if it exists)."
    )
    var db = "outputs/cts.sqlite"

    @Flag(help: "Check the return alone, without the store's figures.")
    var noHistory = false

    func validate() throws {
        if let report, FindingsReport.Format(path: report) == nil {
            throw ValidationError("--report must name a .json or .csv file.")
        }
    }

    func run() throws {
        let console = Console.current
        let ws = try returns.loadWorkspace()
        var (files, unreadable, _) = Workspace.returnFiles(returns.paths, console: console)
        if files.isEmpty && !unreadable { throw ExitCode(2) }

        let reader = ws.reader(encoding: returns.encoding)
        let store = !noHistory && FileInput.isReadableFile(db) ? try Store(path: db) : nil
        var reports: [ReturnReport] = []
        let progress = Progress(total: files.count, console: console, quiet: quiet || format == .json)
        defer { progress.finish() }
        for file in files {
            progress.step(file)
            let checked: Workspace.CheckedReturn
            do {
                checked = try ws.check(file, with: reader, store: store)
            } catch let error as InputError {
                console.err("cts: \(error.message)\n")
                unreadable = true
                continue
            }
            let report = checked.report
            reports.append(report)
            guard format == .text else { continue }
            let q = checked.parsed.questionnaire ?? ws.catalog.defaultQuestionnaire
            let terminal = TerminalReport(
                color: console.color, showSkipped: showSkipped, dimensions: q?.dimensionIDs ?? [],
                tables: q?.tables ?? [])
            console.out(quiet ? terminal.summary(report) + "\n" : terminal.render(report) + "\n")
        }
        progress.finish()
        if format == .json {
            console.out(try FindingsReport.render(reports, format: .json))
        } else if reports.count > 1 {
            let failed = reports.filter(\.hasErrors).count
            let warned = reports.filter { !$0.hasErrors && $0.count(.warning) > 0 }.count
            let errors = reports.reduce(0) { $0 + $1.count(.error) }
            let warnings = reports.reduce(0) { $0 + $1.count(.warning) }
            console.out(
                "Checked \(reports.count) returns: \(failed) with errors, \(warned) with warnings only, "
                    + "\(reports.count - failed - warned) clean (\(errors) errors, \(warnings) warnings in all).\n")
        }
        if let report {
            try AtomicFile.write(
                try FindingsReport.render(reports, format: FindingsReport.Format(path: report)!),
                to: report)
            console.out("Wrote every finding to \(report).\n")
        }
        if unreadable { throw ExitCode(2) }
        if reports.contains(where: \.hasErrors) { throw ExitCode(1) }
    }
}

extension TextEncoding: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
