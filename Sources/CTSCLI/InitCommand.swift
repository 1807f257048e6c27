import ArgumentParser
import CTSCore
import CTSIO
import Foundation

/// `cts init [DIR]`: lays out a working folder that `cts run` then serves.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Lay out a working folder: questionnaires/, submissions/, outputs/ and a README.",
        discussion: """
            The UN-CTS questionnaire is copied into questionnaires/ (edit or add definitions there); the \
            reference tables (ICCS, countries, population) are built into cts, or taken from reference/ \
            when --with-reference copies them there to be pinned or updated (cts reference update). \
            Nothing that exists is overwritten. Then put the returns in submissions/ and run cts run.

            Examples:
              cts init
              cts init cts-2026 --with-reference
            """)

    @Argument(help: "The folder to lay out (made if needed).")
    var directory = "."

    @Flag(help: "Copy the built-in reference tables into reference/ as well.")
    var withReference = false

    func run() throws {
        let console = Console.current
        do {
            for folder in ["submissions", "outputs"] {
                try FileSystem.makeDirectory(directory + "/" + folder)
            }
            var written = try EmbeddedDefaults.write(to: directory, only: "questionnaires/")
            if withReference { written += try EmbeddedDefaults.write(to: directory, only: "reference/") }
            if !FileManager.default.fileExists(atPath: directory + "/README.md") {
                try AtomicFile.write(Self.readme, to: directory + "/README.md")
                written.append("README.md")
            }
            let place = directory == "." ? "this folder" : directory
            console.out(
                (written.isEmpty
                    ? "Nothing to add: \(place) is laid out already."
                    : "Wrote " + written.joined(separator: ", ") + " in \(place).")
                    + " Put the returns in \(directory)/submissions and run: "
                    + (directory == "." ? "cts run" : "cd \(directory) && cts run") + "\n")
        } catch let error as InputError {
            console.err("cts: \(error)\n")
            throw ExitCode(2)
        } catch {
            console.err("cts: cannot lay out \(directory): \(error)\n")
            throw ExitCode(2)
        }
    }

    static let readme = """
        # A cts working folder

        - `submissions/`: the returns (CSV, or .xlsx workbooks), one file per country return, as countries
          send them. `cts questionnaire workbook COUNTRY` writes the workbook a country fills in, with the
          figures already held.
        - `questionnaires/`: the questionnaire definitions the returns are checked against (UN-CTS 2024.1
          to begin with); `cts questionnaire lint` checks an edited one.
        - `outputs/`: what `cts run` writes: the store (`cts.sqlite`), feedback reports, trend tables,
          charts, the export and `index.html`.

        The reference tables (ICCS, countries, population) are built into cts. To pin or update them, copy
        them here with `cts init --with-reference` and use `cts reference update`. A `cts.yaml` here may name
        other folders (`questionnaires: DIR`, `reference: DIR`), as may the variable `CTS_HOME`.

        Run the yearly job with `cts run`, then open `outputs/index.html`.

        """
}
