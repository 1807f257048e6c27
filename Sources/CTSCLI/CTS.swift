import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

/// The `cts` command: crime-statistics returns from questionnaire to trend tables.
public struct CTS: ParsableCommand {
    /// The version of cts (`cts --version`).
    public static let version = CTSVersion.current

    public static let configuration = CommandConfiguration(
        commandName: "cts",
        abstract: "Validate and process UN-CTS crime-statistics returns.",
        discussion: """
            Exit status: 0 when every return is clean or has warnings only, 1 when any return has errors, \
            2 for usage errors and input that cannot be read. Colour only on a terminal, never with NO_COLOR.

            Examples:
              cts run                                   # the whole job on submissions/
              cts validate submissions/KEN-2020.csv     # check one return
              cts report submissions/KEN-2020.csv       # its HTML feedback report
              cts history KEN --variable robbery        # every vintage of a figure
              cts --generate-completion-script bash > /etc/bash_completion.d/cts
            """,
        version: CTS.version,
        subcommands: [
            ValidateCommand.self, IngestCommand.self, HistoryCommand.self, ExportCommand.self, AggregateCommand.self,
            RunCommand.self, ReportCommand.self, CompareCommand.self, RemapCommand.self, ImportCommand.self, InitCommand.self,
            QuestionnaireCommand.self, ReferenceCommand.self,
        ])

    public init() {}

    /// Runs the command line `arguments` (without the program name) and returns the exit status.
    /// Output goes to `Console.current`, so tests can run commands in process.
    public static func run(arguments: [String]) -> Int32 {
        let console = Console.current
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch let failure as Workspace.SetupFailure {
            for finding in failure.findings { console.err(render(finding)) }
            console.err("cts: \(failure.message)\n")
            return 2
        } catch let error as InputError {
            console.err("cts: \(error)\n")
            return 2
        } catch let error as StoreError {
            console.err("cts: \(error)\n")
            return 2
        } catch let error as DatabaseError {
            console.err("cts: the store failed: \(error)\n")
            return 2
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                console.out(message + "\n")
                return 0
            }
            console.err(message + "\n")
            return 2
        }
    }

    static func render(_ finding: Finding) -> String {
        let place = finding.location.map { "\($0): " } ?? ""
        return "\(place)\(finding.severity.rawValue): \(finding.message)\n"
    }
}

/// Options shared by commands that read questionnaires and reference tables. Without them, the folders
/// are found as `WorkingFolder` says: `$CTS_HOME`, `cts.yaml`, the working folder, then cts's own copy.
struct WorkspaceOptions: ParsableArguments {
    @Option(
        name: .customLong("questionnaires"),
        help: "Folder (or single file) of questionnaire definitions (default: ./questionnaires, else built in).")
    var questionnairesOption: String?

    @Option(
        name: .customLong("reference"),
        help: "Folder with the reference tables: ICCS, countries, population (default: ./reference, else built in).")
    var referenceOption: String?

    /// The questionnaires to read (`--questionnaires`, else found by `WorkingFolder`).
    private(set) var questionnaires = ""
    /// The reference tables to read (`--reference`, else found by `WorkingFolder`).
    private(set) var reference = ""

    private enum CodingKeys: String, CodingKey {
        case questionnairesOption, referenceOption
    }

    mutating func validate() throws {
        do {
            questionnaires = try WorkingFolder.resolve(.questionnaires, given: questionnairesOption)
            reference = try WorkingFolder.resolve(.reference, given: referenceOption)
        } catch let error as InputError {
            throw ValidationError(error.message + (error.fix.map { " " + $0 } ?? ""))
        }
    }

    /// The breakdown dimensions of the default questionnaire, checked against `reference` (already
    /// loaded), for output columns; none when the questionnaires do not load (outputs then name the
    /// dimensions found in the data).
    func dimensions(_ reference: ReferenceData) -> [String] { defaultQuestionnaire(reference)?.dimensionIDs ?? [] }

    /// The default questionnaire (how breakdowns nest and what variables are called, for aggregation), or
    /// nil as for `dimensions`.
    func defaultQuestionnaire(_ reference: ReferenceData) -> Questionnaire? {
        (try? Workspace.load(questionnaires: questionnaires, reference: reference, choose: nil))?
            .catalog.defaultQuestionnaire
    }
}

/// The returns a command reads and how: the files, their questionnaire and their encoding.
struct ReturnOptions: ParsableArguments {
    @Argument(help: "Return files (CSV or .xlsx workbooks) or folders of returns.")
    var paths: [String]

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "The questionnaire (ID/VERSION) for returns without a questionnaire column.")
    var questionnaire: String?

    @Option(help: "Encoding of CSV returns: utf-8 or windows-1252 (workbooks are always read as written).")
    var encoding = TextEncoding.utf8

    /// Loads the questionnaires and reference tables these returns are checked against, population
    /// included: counts are held against it (`Validator.magnitudes`).
    func loadWorkspace() throws -> Workspace {
        try Workspace.load(
            questionnaires: workspace.questionnaires, reference: workspace.reference, choose: questionnaire)
    }
}
