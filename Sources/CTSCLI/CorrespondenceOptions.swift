import ArgumentParser
import CTSCore
import CTSIO
import Foundation

/// The correspondence table a command maps national offence codes with (`ingest`, `remap`).
struct CorrespondenceOptions: ParsableArguments {
    @Option(help: "Correspondence table (CSV) mapping the national offence codes of these returns to ICCS.")
    var correspondence: String?

    @Option(help: "With --correspondence: the column of national codes.")
    var codeColumn = "national_code"

    @Option(help: "With --correspondence: the column of national labels.")
    var labelColumn = "national_label"

    @Option(
        help:
            "With --correspondence: the ICCS column, or the four level columns separated by commas (e.g. N1,N2,N3,N4).")
    var iccsColumns = "iccs"

    @Flag(
        help:
            "With --correspondence: load the table's valid rows and list the others; the national figures of the codes skipped stay unmapped.")
    var skipInvalidRows = false

    /// Loads and checks the correspondence table; its errors stop the command before anything is stored,
    /// unless `--skip-invalid-rows`. Nil without `--correspondence`.
    func load(_ ws: Workspace, console: Console) throws -> Correspondence? {
        guard let path = correspondence else { return nil }
        let levels = iccsColumns.split(separator: ",").map { String($0).trimmingSpaces() }
        let layered = levels.count > 1
        let columns = CorrespondenceLoader.Columns(
            code: codeColumn, label: labelColumn, iccs: levels, relation: layered ? nil : "relation",
            share: layered ? nil : "share")
        let result = try CorrespondenceLoader.load(path: path, columns: columns, iccs: ws.reference.iccs)
        if result.hasErrors && !skipInvalidRows {
            throw Workspace.SetupFailure(
                findings: result.findings.filter { $0.severity == .error },
                message: "The correspondence table \(path) has errors; nothing was done. Fix the rows, or load "
                    + "the valid ones with --skip-invalid-rows (the figures of the codes skipped then stay unmapped).")
        }
        let repaired = result.findings.filter { $0.ruleID == "correspondence.repaired" }.count
        let skipped = result.correspondence.skipped
        console.out(
            "Correspondence \(path): \(result.correspondence.entries.count) national codes"
                + (repaired > 0 ? ", \(repaired) ICCS codes read with their leading zeros restored" : "")
                + (skipped.isEmpty
                    ? ""
                    : "; \(skipped.count) codes skipped for rows in error (listed below), their figures stay unmapped: "
                        + skipped.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }.joined(
                            separator: ", "))
                + ".\n")
        for f in result.findings where f.ruleID != "correspondence.repaired" { console.out(CTS.render(f)) }
        return result.correspondence
    }
}
