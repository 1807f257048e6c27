import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

extension ExportCommand {
    /// Writes `observations` as `observations.csv` and `observations.sdmx.csv` in `output`, in a stable
    /// order; returns how many were written.
    static func write(_ observations: [Observation], dimensions known: [String], to output: String) throws -> Int {
        let all = observations.sorted {
            ($0.reporter, $0.indicator, $0.series, $0.iccs?.rawValue ?? "", $0.year, $0.breakdown)
                < ($1.reporter, $1.indicator, $1.series, $1.iccs?.rawValue ?? "", $1.year, $1.breakdown)
        }
        let dimensions = ObservationExport.dimensions(of: all, known: known)
        try FileSystem.makeDirectory(output)
        try AtomicFile.write(ObservationExport.csv(all, dimensions: dimensions), to: output + "/observations.csv")
        try AtomicFile.write(
            ObservationExport.sdmxCSV(all, dimensions: dimensions, dataflow: "CTS:UN_CTS(1.0)"),
            to: output + "/observations.sdmx.csv")
        return all.count
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
        let known =
            workspace.dimensions
        let observations = try store.openExisting().observations(asOf: asOf.flatMap { Timestamp.parse($0) })
        let derived = Composites.derive(observations, units: reference.countries.reportingUnits)
        let count = try Self.write(observations + derived, dimensions: known, to: output)
        console.out(
            "Wrote \(count) observations (\(derived.count) derived from reporting units)"
                + (asOf.map { " as of \($0)" } ?? "") + " to \(output)/observations.csv and observations.sdmx.csv.\n")
    }
}
