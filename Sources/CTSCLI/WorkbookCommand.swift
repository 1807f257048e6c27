import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

/// `cts questionnaire workbook COUNTRY...`: the questionnaire as an Excel workbook for a country to fill in.
struct WorkbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbook",
        abstract: "Write the questionnaire as an .xlsx workbook for a country to fill in, with the figures held.",
        discussion: """
            One sheet per table: variables as rows (ICCS code and label), the reporting year and the years \
            before it × breakdowns as columns, each figure with a status and a note column. The earlier years \
            are pre-filled (grey) from the store's current figures and may be corrected; the reporting year is \
            empty (yellow). Every input cell is validated (figures of 0 or more, whole unless status E; \
            statuses from a list), labels are locked, and a hidden sheet records each input cell's key, so \
            that the filled workbook reads back exactly: cts validate, ingest, report and run take it as a \
            return, and their findings name the sheet and cell.

            Examples:
              cts questionnaire workbook KEN                       # outputs/workbooks/KEN-2023.xlsx
              cts questionnaire workbook KEN --year 2024 --previous 2 --output KEN-2024.xlsx
              cts questionnaire workbook --all                     # one per reporter in the store
              cts questionnaire workbook FRA --blank               # without the store
            """)

    @Argument(help: "Reporters (ISO alpha-3 codes or reporting units) to write a workbook for.")
    var countries: [String] = []

    @Flag(help: "Write one workbook for every reporter with figures in the store.")
    var all = false

    @Option(help: "The reporting year, left empty to fill in (default: the questionnaire's last reference year).")
    var year: Int?

    @Option(help: "How many earlier years to show, pre-filled from the store.")
    var previous = 4

    @Option(
        name: .shortAndLong,
        help: "The workbook to write (one country), or the folder to write them into (default outputs/workbooks).")
    var output: String?

    @Flag(help: "Do not read the store: earlier years are left empty.")
    var blank = false

    @Option(help: "Who answers questions about the questionnaire, shown on the instructions sheet.")
    var contact = "the office that sent you this workbook"

    @OptionGroup var store: StoreOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
        if all == !countries.isEmpty {
            throw ValidationError("Name the reporters (e.g. cts questionnaire workbook KEN), or give --all.")
        }
        if all && blank { throw ValidationError("--all writes a workbook per reporter in the store; it needs the store.") }
        if !(0...30).contains(previous) { throw ValidationError("--previous must be between 0 and 30, not \(previous).") }
    }

    func run() throws {
        let console = Console.current
        let ws = try Workspace.load(
            questionnaires: workspace.questionnaires, reference: workspace.reference, choose: nil)
        guard let questionnaire = ws.catalog.defaultQuestionnaire else {
            console.err("cts: no questionnaire to write a workbook of\n")
            throw ExitCode(2)
        }
        let opened = blank ? nil : try store.openExisting()
        let reporters = try all ? opened!.currentReporters() : countries
        for code in reporters {
            if case .rejected(let why) = ws.reference.countries.check(code) {
                throw InputError("\(code) is not a reporter cts knows: \(why)", code: "workbook.reporter")
            }
        }
        let reportingYear = year ?? questionnaire.referenceYears.upperBound
        let years = questionnaire.referenceYears
        guard years.contains(reportingYear) else {
            throw InputError(
                "\(reportingYear) is outside the reference years of \(questionnaire.reference) "
                    + "(\(years.lowerBound)–\(years.upperBound)), so its figures could not be accepted.",
                code: "workbook.year", fix: "Give --year between \(years.lowerBound) and \(years.upperBound), or a questionnaire version that covers \(reportingYear).")
        }
        let single = reporters.count == 1 && output?.hasSuffix(".xlsx") == true
        let folder = single ? nil : (output ?? "outputs/workbooks")
        if let folder { try FileSystem.makeDirectory(folder) }
        var written = 0
        var heldTotal = 0
        for code in reporters {
            let held =
                try opened?.currentCells(
                    reporter: code, tables: questionnaire.tables.map(\.id), dimensions: questionnaire.dimensionIDs
                ).map(\.cell) ?? []
            let name =
                ws.reference.countries.country(code)?.name ?? ws.reference.countries.reportingUnit(code)?.name ?? code
            let layout = WorkbookLayout(
                questionnaire: questionnaire, reporter: code, reporterName: name, reportingYear: reportingYear,
                previousYears: previous, held: held)
            let path = folder.map { "\($0)/\(code)-\(reportingYear).xlsx" } ?? output!
            try WorkbookWriter(layout: layout, contact: contact).write(to: path)
            let shown = held.count - layout.notShown
            heldTotal += shown
            written += 1
            var line = "wrote \(path): \(layout.sheets.count) tables, \(layout.years.last!)–\(reportingYear)"
            line += blank ? ", not pre-filled" : ", \(shown) figures held pre-filled"
            if layout.notShown > 0 {
                line += " (\(layout.notShown) other held figures are outside these years)"
            }
            console.out(line + "\n")
        }
        if written > 1 { console.out("\(written) workbooks written, \(heldTotal) figures pre-filled\n") }
    }
}
