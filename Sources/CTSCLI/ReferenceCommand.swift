import ArgumentParser
import CTSCore
import CTSIO

/// `cts reference ...`: the reference tables (ICCS, countries, population).
struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Update the reference tables (ICCS, countries, population).",
        discussion: """
            Examples:
              cts reference update --from ~/downloads/reference-2027 --dry-run
            """,
        subcommands: [Update.self])

    /// `cts reference update --from DIR`: check newer reference files and take them in.
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check newer reference files and replace the current ones with them.",
            discussion: """
                DIR holds any of iccs.csv, countries.csv, country_aliases.csv, reporting_units.csv and \
                population.csv in the shipped format (scripts/build_reference.py makes them from upstream \
                data). The new set must load as a whole; then each file's added, removed and changed rows \
                are listed and the changed files replace the current ones, each written whole.

                Examples:
                  cts reference update --from ~/downloads/reference-2027 --dry-run
                  cts reference update --from ~/downloads/reference-2027
                """)

        @Option(help: "Folder with the newer reference files.")
        var from: String

        @Option(help: "Folder with the current reference tables.")
        var reference = "reference"

        @Flag(help: "Show what would change without changing anything.")
        var dryRun = false

        /// Rows listed per file; the rest are counted.
        static let rowsShown = 50

        func run() throws {
            let console = Console.current
            let changes = try ReferenceUpdate.plan(current: reference, incoming: from)
            for c in changes {
                console.out(
                    "\(c.file): \(c.added) added, \(c.removed) removed, \(c.changed) changed, \(c.unchanged) unchanged\n"
                )
                // The rows themselves, so that a change is seen before it is taken in.
                for row in c.rows.prefix(Self.rowsShown) { console.out("  " + TerminalText.visible(row.line) + "\n") }
                if c.rows.count > Self.rowsShown {
                    console.out("  … and \(c.rows.count - Self.rowsShown) more rows\n")
                }
            }
            let changed = changes.filter(\.isChange)
            if changed.isEmpty {
                console.out("Nothing to update.\n")
            } else if dryRun {
                console.out("Dry run: \(changed.count) file(s) would be replaced in \(reference).\n")
            } else {
                try ReferenceUpdate.apply(changes, current: reference, incoming: from)
                console.out("Replaced \(changed.map(\.file).joined(separator: ", ")) in \(reference).\n")
            }
        }
    }
}
