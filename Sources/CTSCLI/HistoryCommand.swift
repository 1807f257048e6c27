import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

/// `cts history COUNTRY`: every vintage of a reporter's cells.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List every vintage of a reporter's cells: what was sent, when, and what replaced it.",
        discussion: """
            Examples:
              cts history KEN
              cts history KEN --year 2019 --variable police_offences.robbery
            """)

    @Argument(help: "The reporter (ISO alpha-3 code or reporting unit such as GBR_EW).")
    var country: String

    @Option(help: "Only this year.")
    var year: Int?

    @Option(help: "Only this variable (variable or table.variable).")
    var variable: String?

    @OptionGroup var store: StoreOptions

    @Option(help: "Output: text (CSV) for people and spreadsheets, json for programs.")
    var format = OutputFormat.text

    func run() throws {
        let console = Console.current
        let vintages = try store.openExisting().history(reporter: country, year: year, variable: variable)
        if format == .json {
            struct History: Encodable {
                var reporter: String
                var vintages: [CellVintage]
            }
            console.out(try OutputFormat.json(command: "history", History(reporter: country, vintages: vintages)))
            return
        }
        guard !vintages.isEmpty else {
            let filters = [variable.map { "variable \($0)" }, year.map { "year \($0)" }].compactMap { $0 }
            console.out(
                "No cells stored for \(country)"
                    + (filters.isEmpty ? "" : " with " + filters.joined(separator: " and ")) + ".\n")
            return
        }
        console.out(
            CSVWriter.row([
                "reporter", "year", "table", "variable", "breakdown", "action", "value", "status", "note", "valid_from",
                "valid_to", "submission", "file", "line", "sheet_cell",
            ]))
        for v in vintages {
            // Notes and values are shown as text, never as escape sequences for the terminal.
            console.out(
                CSVWriter.row(
                    [
                        v.reporter, String(v.year), v.table, v.variable, v.breakdown, v.action, v.rawValue, v.status,
                        v.note, v.validFrom, v.validTo ?? "", String(v.submissionID), v.fileName, String(v.line),
                        v.sheetCell ?? "",
                    ].map(TerminalText.visible)))
        }
    }
}
