import Foundation
import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

/// The store option shared by `ingest`, `history` and `export`.
struct StoreOptions: ParsableArguments {
    @Option(help: "The SQLite store.")
    var db = "outputs/cts.sqlite"

    /// Opens the store to write to, creating it (and its folder) when it does not exist.
    func open() throws -> Store {
        let folder = db.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !folder.isEmpty { try FileSystem.makeDirectory(folder) }
        return try opened()
    }

    /// Opens the store to read from; a store that does not exist is refused, so that a mistyped --db does
    /// not read an empty store and publish empty outputs.
    func openExisting() throws -> Store {
        guard FileSystem.isDirectory(db) == false else {
            throw InputError(
                "There is no store at \(db).", code: "store.missing",
                fix: "Run cts ingest (or cts run) first, or name the store with --db.")
        }
        return try opened()
    }

    private func opened() throws -> Store {
        do {
            return try Store(path: db)
        } catch let error as DatabaseError {
            throw Workspace.SetupFailure(findings: [], message: "Cannot open the store \(db): \(error.message)")
        }
    }
}

/// `cts ingest RETURN|DIR...`: validate returns and store those without errors, with their history.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Validate returns and keep them, with every earlier figure, in the store.",
        discussion: """
            A return is stored only when it has no errors (--allow-errors stores it anyway and records that). \
            Ingesting the same file again changes nothing. A later return for the same reporter revises the \
            cells it covers; the earlier figures stay as history (cts history). A row with action "withdraw" \
            takes a cell back. Each return is stored in one transaction; processes ingesting into the same \
            store wait for each other.

            Examples:
              cts ingest submissions
              cts ingest submissions/KEN-2020.csv --db outputs/cts.sqlite
              cts ingest late-return.csv --allow-errors
            """)

    @OptionGroup var returns: ReturnOptions
    @OptionGroup var store: StoreOptions

    @Flag(help: "Store returns even when they have errors; the submission records it.")
    var allowErrors = false

    @Flag(help: "Check each return alone, without the store's figures for what it does not hold.")
    var noHistory = false

    @Option(help: "Output: text for people, json for programs.")
    var format = OutputFormat.text

    @Flag(name: .shortAndLong, help: "No progress bar and no line per return, only the summary.")
    var quiet = false

    @Option(help: "When the returns were received (YYYY-MM-DD or an ISO 8601 UTC time); default now.")
    var receivedAt: String?

    @OptionGroup var correspondenceOptions: CorrespondenceOptions

    func validate() throws {
        if let receivedAt, Timestamp.parse(receivedAt, endOfDay: false) == nil {
            throw ValidationError(
                "--received-at must be a real date or time, such as 2026-06-30 or 2026-06-30T14:05:00+02:00, not "
                    + "\(receivedAt).")
        }
        if let receivedAt, let time = Timestamp.parse(receivedAt, endOfDay: false), time > Timestamp.now() {
            throw ValidationError(
                "--received-at \(receivedAt) is in the future; a return cannot have been received then. Leave it "
                    + "out to use the current time.")
        }
    }

    func run() throws {
        let console = Console.current
        let ws = try returns.loadWorkspace()
        let (files, unreadableInput, _) = Workspace.returnFiles(returns.paths, console: console)
        var unreadable = unreadableInput
        if files.isEmpty && !unreadable { throw ExitCode(2) }
        let correspondence = try correspondenceOptions.load(ws, console: console)
        let ingestion = Ingestion(
            workspace: ws, store: try store.open(), reader: ws.reader(encoding: returns.encoding),
            correspondence: correspondence, allowErrors: allowErrors, history: !noHistory,
            receivedAt: receivedAt.flatMap { Timestamp.parse($0, endOfDay: false) })
        var results: [Ingestion.Ingested] = []
        let progress = Progress(total: files.count, console: console, quiet: quiet || format == .json)
        for file in files {
            progress.step(file)
            do {
                let ingested = try ingestion.ingest(file)
                results.append(ingested)
                if format == .text && (!quiet || ingested.outcome == .rejected) { console.out(ingested.line + "\n") }
            } catch let error as InputError {
                console.err("cts: \(error)\n")
                unreadable = true
            }
        }
        progress.finish()
        let stored = results.filter { $0.outcome == .stored }.count
        let rejected = results.filter { $0.outcome == .rejected }.count
        if format == .json {
            struct Summary: Encodable {
                var returns: [Ingestion.Ingested]
                var stored: Int
                var alreadyStored: Int
                var rejected: Int
            }
            console.out(
                try OutputFormat.json(
                    command: "ingest",
                    Summary(
                        returns: results, stored: stored, alreadyStored: results.count - stored - rejected,
                        rejected: rejected)))
            if unreadable { throw ExitCode(2) }
            if rejected > 0 { throw ExitCode(1) }
            return
        }
        console.out("Ingested into \(self.store.db): \(stored) stored, \(rejected) rejected.\n")
        if unreadable { throw ExitCode(2) }
        if rejected > 0 { throw ExitCode(1) }
    }
}
