import CTSCore
import Foundation

/// Writes every finding of a validation run, skipped checks included, as JSON or CSV.
public enum FindingsReport {
    public enum Format: String, Sendable {
        case json, csv

        /// The format named by a file's extension.
        public init?(path: String) {
            if path.lowercased().hasSuffix(".json") {
                self = .json
            } else if path.lowercased().hasSuffix(".csv") {
                self = .csv
            } else {
                return nil
            }
        }
    }

    public static let csvColumns = [
        "file", "line", "column", "column_name", "cell_reference", "severity", "kind", "rule", "country", "year", "table", "variable",
        "breakdown", "message", "related", "old_value", "old_status", "new_value", "new_status", "change", "replaces",
    ]

    public static func render(_ reports: [ReturnReport], format: Format) throws -> String {
        switch format {
        case .csv: return csv(reports)
        case .json: return try json(reports)
        }
    }

    static func breakdownText(_ key: CellKey?, dimensions: [String]) -> String {
        guard let key else { return "" }
        return zip(dimensions, key.breakdown).filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1)" }.joined(separator: ";")
    }

    static func csv(_ reports: [ReturnReport]) -> String {
        var out = CSVWriter.row(csvColumns)
        for report in reports {
            for f in report.findings {
                out += CSVWriter.row([
                    f.location?.file ?? report.file, f.location.map { String($0.line) } ?? "",
                    f.location.map { String($0.column) } ?? "", f.location?.columnName ?? "", f.location?.cellReference ?? "",
                    f.severity.rawValue,
                    f.kind.rawValue, f.ruleID, f.cell?.country ?? "", f.cell.map { String($0.year) } ?? "",
                    f.table ?? "", f.cell?.variable ?? "", breakdownText(f.cell, dimensions: report.dimensions),
                    f.message,
                    f.related.map(\.description).joined(separator: " "),
                ] + revisionFields(f.revision))
            }
            // Findings past the limit of a rule: one row each, counted in the message.
            for o in report.omitted {
                out += CSVWriter.row(
                    [report.file, "", "", "", o.severity.rawValue, o.kind.rawValue, o.ruleID]
                        + Array(repeating: "", count: 5) + [o.summary, ""] + revisionFields(nil))
            }
        }
        return out
    }

    /// The revision columns of a CSV row: empty for a finding that is not a revision.
    static func revisionFields(_ r: Revision?) -> [String] {
        guard let r else { return Array(repeating: "", count: 6) }
        return [r.old, r.oldStatus, r.new, r.newStatus, r.change.map { String(format: "%.6f", $0) } ?? "", r.replaces]
    }

    struct JSONRun: Encodable {
        var tool = "cts"
        var version = CTSVersion.current
        var command = "validate"
        var returns: [JSONReturn]
    }

    struct JSONReturn: Encodable {
        var file: String
        var questionnaire: String?
        var rows: Int
        var cells: Int
        var countries: [String]
        var years: [Int]
        var errors: Int
        var warnings: Int
        var info: Int
        var skipped: Int
        /// Cells that replace a figure the store holds.
        var revisions: Int
        var findings: [JSONFinding]
        /// Findings of a rule past the first `FindingLimit.perRule`: counted here, not listed.
        var omitted: [JSONOmitted]
    }

    struct JSONOmitted: Encodable {
        var rule: String
        var severity: String
        var kind: String
        var count: Int
    }

    struct JSONFinding: Encodable {
        var rule: String
        var severity: String
        var kind: String
        var message: String
        var file: String?
        var line: Int?
        var column: Int?
        var column_name: String?
        /// In a workbook: the sheet, and the cell as `Sheet!C12` (`line` and `column` are then its row and column).
        var sheet: String?
        var cell_reference: String?
        var cell: JSONCell?
        var table: String?
        var related: [String]
        var revision: JSONRevision?
    }

    struct JSONRevision: Encodable {
        var old: String
        var old_status: String
        var new: String
        var new_status: String
        var change: Double?
        var replaces: String
    }

    struct JSONCell: Encodable {
        var country: String
        var year: Int
        var table: String
        var variable: String
        var breakdown: [String: String]
    }

    static func json(_ reports: [ReturnReport]) throws -> String {
        let run = JSONRun(
            returns: reports.map { r in
                JSONReturn(
                    file: r.file, questionnaire: r.questionnaire, rows: r.rows, cells: r.cells, countries: r.countries,
                    years: r.years, errors: r.count(.error), warnings: r.count(.warning), info: r.count(.info),
                    skipped: r.skipped, revisions: r.revisions,
                    findings: r.findings.map { f in
                        JSONFinding(
                            rule: f.ruleID, severity: f.severity.rawValue, kind: f.kind.rawValue, message: f.message,
                            file: f.location?.file ?? r.file, line: f.location?.line, column: f.location?.column,
                            column_name: f.location?.columnName, sheet: f.location?.sheet,
                            cell_reference: f.location?.cellReference,
                            cell: f.cell.map { k in
                                JSONCell(
                                    country: k.country, year: k.year, table: k.table, variable: k.variable,
                                    breakdown: Dictionary(
                                        uniqueKeysWithValues: zip(r.dimensions, k.breakdown).filter { !$0.1.isEmpty }))
                            }, table: f.table, related: f.related.map(\.description),
                            revision: f.revision.map {
                                JSONRevision(
                                    old: $0.old, old_status: $0.oldStatus, new: $0.new, new_status: $0.newStatus,
                                    change: $0.change, replaces: $0.replaces)
                            })
                    },
                    omitted: r.omitted.map {
                        JSONOmitted(
                            rule: $0.ruleID, severity: $0.severity.rawValue, kind: $0.kind.rawValue, count: $0.count)
                    })
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(run), as: UTF8.self) + "\n"
    }
}
