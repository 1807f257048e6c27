import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

/// Writes the HTML feedback report of checked returns; shared by `cts report` and `cts run`.
struct FeedbackWriter {
    var workspace: Workspace
    /// The store for the reporters' earlier figures, if there is one.
    var store: Store?
    var directory: String
    /// The country's correspondence table, for the labels and ICCS codes of national categories.
    var correspondence: Correspondence? = nil

    /// Writes `<directory>/<return name>.html` (the name without `.csv`) of `file`, checked as
    /// `checked`; returns its path. The file is read again for the figures the grids show (the first
    /// country's totals), so memory holds those and the findings kept, whatever the size of the return.
    func write(_ file: String, checked: Workspace.CheckedReturn, reader: ReturnReader) throws -> String? {
        guard let q = checked.parsed.questionnaire ?? workspace.catalog.defaultQuestionnaire else { return nil }
        let countries = checked.report.countries
        // The grids show the first country's totals, with their earlier years from the store.
        final class Grid { var cells: [ReturnCell] = [] }
        let grid = Grid()
        var history: [CellKey: Double] = [:]
        if let first = countries.first {
            let totals = FeedbackReport.totals(of: q)
            _ = try reader.forEachCell(path: file, displayName: checked.report.file) { cell, _ in
                if FeedbackReport.gridCell(cell, country: first, totals: totals) { grid.cells.append(cell) }
            }
            history =
                try store?.currentValues(reporter: first, dimensions: q.dimensionIDs)
                .filter { totals[$0.key.table] == $0.key.breakdown } ?? [:]
        }
        let names = countries.map { code -> String in
            if let c = workspace.reference.countries.country(code) { return "\(c.name) (\(code))" }
            if let u = workspace.reference.countries.reportingUnit(code) { return "\(u.name) (\(code))" }
            return code
        }
        var feedback = FeedbackReport(
            report: checked.report, questionnaire: q, cells: grid.cells, history: history,
            countryName: names.isEmpty ? "No readable cells" : names.joined(separator: ", "),
            iccs: workspace.reference.iccs, correspondence: correspondence)
        feedback.overlaps = overlaps(grid.cells, questionnaire: q)
        // X.csv gives X.html; any other spelling keeps it (X.CSV gives X.CSV.html), so that two returns in
        // one folder never share a report and a country is never sent another's.
        let base = String(checked.report.file.split(separator: "/").last ?? "return")
        let name = base.hasSuffix(".csv") ? String(base.dropLast(4)) : base
        try FileSystem.makeDirectory(directory)
        let path = directory + "/" + name + ".html"
        try AtomicFile.write(to: path) { put in feedback.write(put) }
        return path
    }
}

extension FeedbackWriter {
    /// The standard figures of `cells` that national categories among them map to as well (through the
    /// normalizer, so the same rule that joins them to the series decides), with the national sum.
    func overlaps(_ cells: [ReturnCell], questionnaire q: Questionnaire) -> [FeedbackReport.Overlap] {
        guard let correspondence else { return [] }
        let normalizer = Normalizer(
            questionnaire: q, countries: workspace.reference.countries, correspondence: correspondence)
        var national: [String: (sum: Double, codes: [String])] = [:]
        for cell in cells where normalizer.isNationalTable(cell.key.table) {
            for o in normalizer.observations(for: cell).observations where o.series != cell.key.table {
                let key = "\(o.series)|\(o.year)"
                national[key, default: (0, [])].sum += o.value ?? 0
                if national[key]!.codes.last != cell.key.variable { national[key]!.codes.append(cell.key.variable) }
            }
        }
        return cells.compactMap { cell in
            guard !normalizer.isNationalTable(cell.key.table),
                let n = national["\(cell.key.table).\(cell.key.variable)|\(cell.key.year)"]
            else { return nil }
            return .init(
                series: "\(cell.key.table).\(cell.key.variable)", year: cell.key.year, standard: cell.rawValue,
                national: n.sum, codes: n.codes)
        }.sorted { ($0.series, $0.year) < ($1.series, $1.year) }
    }
}

/// `cts report RETURN...`: the HTML feedback report of each return.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the HTML feedback report of returns, the kind a data officer sends back to a country.",
        discussion: """
            The report is one self-contained file (no external assets; it works offline and prints well): a \
            summary, the findings by table, the figures laid out like the questionnaire with the offending \
            cells highlighted, a sparkline of each variable's series (earlier years from the store), and the \
            ICCS code of each figure.

            Examples:
              cts report submissions/KEN-2020.csv
              cts report submissions --output outputs/reports --db outputs/cts.sqlite
            """)

    @OptionGroup var returns: ReturnOptions

    @Option(help: "The store to take earlier years from (used only if it exists).")
    var db = "outputs/cts.sqlite"

    @Flag(help: "Check the returns alone, without the store's figures (the sparklines still show them).")
    var noHistory = false

    @Option(help: "Folder for the reports.")
    var output = "outputs/reports"

    @OptionGroup var correspondenceOptions: CorrespondenceOptions

    func run() throws {
        let console = Console.current
        let ws = try returns.loadWorkspace()
        let (files, unreadable, _) = Workspace.returnFiles(returns.paths, console: console)
        if files.isEmpty { throw ExitCode(2) }
        let store = FileInput.isReadableFile(db) ? try Store(path: db) : nil
        let writer = FeedbackWriter(
            workspace: ws, store: store, directory: output,
            correspondence: try correspondenceOptions.load(ws, console: console))
        let reader = ws.reader(encoding: returns.encoding)
        for file in files {
            let checked = try ws.check(file, with: reader, store: noHistory ? nil : store)
            if let path = try writer.write(file, checked: checked, reader: reader) { console.out("wrote \(path)\n") }
        }
        if unreadable { throw ExitCode(2) }
    }
}
