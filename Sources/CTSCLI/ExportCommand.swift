import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

extension ExportCommand {
    /// Writes `observations`, with the countries formed from reporting units (`Composites`), as
    /// `observations.csv` and `observations.sdmx.csv` in `output`, sorted by reporter, indicator,
    /// series, ICCS code, year and breakdown; returns how many were written and how many of them were
    /// derived.
    ///
    /// The observations are walked twice, one at a time (once when no reporting unit reported): once to
    /// form the derived ones, once to write them with the derived merged in. Memory holds the store's 32 bytes per observation and the parts
    /// of countries reporting in parts, not the rows; both files are written into a staging folder and
    /// then put in place together.
    static func write(
        _ observations: ObservationList, units: [CountryRegistry.ReportingUnit], dimensions known: [String],
        to output: String
    ) throws -> (count: Int, derived: Int) {
        var collector = Composites.Collector(units: units)
        // Walked for parts only when a reporting unit reported.
        let unitCodes = Set(units.map(\.code))
        if observations.reporters.contains(where: unitCodes.contains) { observations.forEach { collector.add($0) } }
        let derived = collector.derived().sorted(by: precedes)
        let staging = try OutputStaging(output: output)
        var files = try ObservationExport.Files(
            directory: staging.path,
            dimensions: ObservationExport.dimensions(breakdowns: observations.breakdowns, known: known))
        var next = 0
        observations.forEach { o in
            while next < derived.count, precedes(derived[next], o) {
                files.add(derived[next])
                next += 1
            }
            files.add(o)
        }
        for o in derived[next...] { files.add(o) }
        try files.commit()
        try staging.publish(["observations.csv", "observations.sdmx.csv"])
        try DataPackage.write(
            folder: output, dimensions: ObservationExport.dimensions(breakdowns: observations.breakdowns, known: known))
        return (files.count, derived.count)
    }

    /// The order of the export files. The store hands observations over in it (`ObservationList`).
    static func precedes(_ a: Observation, _ b: Observation) -> Bool {
        (a.reporter, a.indicator, a.series, a.iccs?.rawValue ?? "", a.year, a.breakdown)
            < (b.reporter, b.indicator, b.series, b.iccs?.rawValue ?? "", b.year, b.breakdown)
    }
}

/// `cts export`: the normalized observations as CSV and SDMX-CSV.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the normalized observations (current, or as of a date) as CSV and SDMX-CSV.",
        discussion: """
            Countries that report in parts (GBR_EW, GBR_S, GBR_NI) are also formed as a whole for the years \
            where every part reported; those rows have derived = true.

            Examples:
              cts export
              cts export --as-of 2026-06-30 --output outputs/release-2026-06
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "Reproduce the store as it was at the end of this date (YYYY-MM-DD) or at this UTC time.")
    var asOf: String?

    @Option(help: "Folder for observations.csv and observations.sdmx.csv.")
    var output = "outputs"

    func validate() throws {
        if let asOf, Timestamp.parse(asOf) == nil {
            throw ValidationError(
                "--as-of must be a real date or time, such as 2026-06-30 or 2026-06-30T12:00:00Z, not \(asOf).")
        }
    }

    func run() throws {
        let console = Console.current
        let reference = try Workspace.loadReference(workspace.reference)
        let known = workspace.dimensions(reference)
        let observations = try store.openExisting().observationList(asOf: asOf.flatMap { Timestamp.parse($0) })
        let (count, derived) = try Self.write(
            observations, units: reference.countries.reportingUnits, dimensions: known, to: output)
        console.out(
            "Wrote \(count) observations (\(derived) derived from reporting units)"
                + (asOf.map { " as of \($0)" } ?? "") + " to \(output)/observations.csv and observations.sdmx.csv.\n")
    }
}
