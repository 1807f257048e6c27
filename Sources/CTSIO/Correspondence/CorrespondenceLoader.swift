import CTSCore

/// Reads a correspondence table from CSV, in one of two layouts:
/// - cts's own: `national_code, national_label, iccs, relation (exact|partial|excluded), share`;
///   a national code split across ICCS codes has one `partial` row per code, each with its share.
/// - a spreadsheet with one ICCS column per level (as national offices keep them, e.g. Chile's
///   `N1-2023 UNODC` … `N4-2023 UNODC`): the deepest filled level is the code, the level-1 column gives
///   the section, and a level-1 text such as `Excluido 2023` excludes the category.
///
/// ICCS codes that lost their leading zeros are repaired when only one code fits (a warning names each
/// repair); anything ambiguous is an error naming file, line and column.
public enum CorrespondenceLoader {
    public struct Columns: Sendable {
        public var code: String
        public var label: String?
        /// One column (the code) or one per level, from level 1 down.
        public var iccs: [String]
        public var relation: String?
        public var share: String?

        public static let standard = Columns(
            code: "national_code", label: "national_label", iccs: ["iccs"], relation: "relation", share: "share")

        public init(code: String, label: String?, iccs: [String], relation: String?, share: String?) {
            self.code = code
            self.label = label
            self.iccs = iccs
            self.relation = relation
            self.share = share
        }
    }

    public struct Result: Sendable {
        public var correspondence: Correspondence
        public var findings: [Finding]
        public var hasErrors: Bool { findings.contains { $0.severity == .error } }
    }

    public static func load(path: String, columns: Columns = .standard, iccs: ICCSClassification) throws -> Result {
        let table = try CSVTable.read(
            path: path, required: [columns.code] + columns.iccs + [columns.label, columns.relation].compactMap { $0 })
        var reader = RowReader(table: table, columns: columns, iccs: iccs)
        for record in table.records { reader.read(record) }
        reader.checkShares()
        return Result(
            correspondence: Correspondence(entries: reader.entries(), skipped: reader.invalid), findings: reader.findings)
    }

    private struct RowReader {
        let table: CSVTable
        let columns: Columns
        let iccs: ICCSClassification
        var findings: [Finding] = []
        var exact: [String: (Correspondence.Entry, Int)] = [:]
        var partial: [String: (label: String, shares: [Correspondence.Share], line: Int)] = [:]
        var order: [String] = []
        /// National codes with a row in error, and the first error (`line N: ...`): with
        /// `--skip-invalid-rows` the valid rows are loaded and these codes stay unmapped.
        var invalid: [String: String] = [:]

        init(table: CSVTable, columns: Columns, iccs: ICCSClassification) {
            self.table = table
            self.columns = columns
            self.iccs = iccs
        }

        /// The column's position; nil for an optional column (the share) the file does not have.
        func column(_ name: String) -> Int? { table.header.firstIndex(of: name) }

        /// The field of `name` in `fields`, empty when the file has no such column.
        func value(_ fields: [String], _ name: String) -> String {
            column(name).map { fields[$0] } ?? ""
        }

        mutating func note(_ severity: Severity, _ rule: String, _ message: String, line: Int, column name: String) {
            findings.append(
                Finding(
                    ruleID: rule, severity: severity, message: message,
                    location: SourceLocation(
                        file: table.file, line: line, column: (column(name) ?? 0) + 1, columnName: name)))
        }

        /// Notes an error in a row of national code `code`, and the code as invalid.
        mutating func reject(_ code: String, _ rule: String, _ message: String, line: Int, column name: String) {
            note(.error, rule, message, line: line, column: name)
            if invalid[code] == nil { invalid[code] = "line \(line): \(message)" }
        }

        mutating func read(_ record: CSVRecord) {
            let f = record.fields
            let code = value(f, columns.code).trimmingSpaces()
            guard !code.isEmpty else {
                note(
                    .error, "correspondence.no-code", "The national code is empty.", line: record.line,
                    column: columns.code)
                return
            }
            let label = columns.label.map { value(f, $0).trimmingSpaces() } ?? ""
            if columns.iccs.count > 1 {
                readLevels(record, code: code, label: label)
            } else {
                readStandard(record, code: code, label: label)
            }
        }

        mutating func readLevels(_ record: CSVRecord, code: String, label: String) {
            let f = record.fields
            let levels = columns.iccs.map { value(f, $0).trimmingSpaces() }
            let sectionText = levels[0].hasSuffix(".0") ? String(levels[0].dropLast(2)) : levels[0]
            var section: String? = nil
            if !sectionText.isEmpty {
                if sectionText.allSatisfy(\.isNumber) {
                    let padded = sectionText.count == 1 ? "0" + sectionText : sectionText
                    guard let s = ICCSCode(padded), s.level == 1, iccs.contains(s) else {
                        reject(
                            code, "correspondence.unknown-code",
                            "National code \(code): \"\(sectionText)\" is not an ICCS section (01 to 11).",
                            line: record.line, column: columns.iccs[0])
                        return
                    }
                    section = s.rawValue
                } else {
                    add(
                        code, .init(nationalCode: code, label: label, mapping: .excluded(sectionText)),
                        line: record.line)
                    return
                }
            }
            guard let deepest = levels.lastIndex(where: { !$0.isEmpty }) else {
                note(
                    .warning, "correspondence.unmapped",
                    "National code \(code) (\(label)) has no ICCS code; its figures will be left out.",
                    line: record.line, column: columns.iccs[0])
                return
            }
            if deepest == 0, let section, let s = ICCSCode(section) {
                add(code, .init(nationalCode: code, label: label, mapping: .exact(s)), line: record.line)
                return
            }
            let outcome = ICCSRepair.read(levels[deepest], level: deepest + 1, section: section, in: iccs)
            guard let mapped = accept(outcome, code: code, line: record.line, column: columns.iccs[deepest]) else {
                return
            }
            add(code, .init(nationalCode: code, label: label, mapping: .exact(mapped)), line: record.line)
        }

        mutating func readStandard(_ record: CSVRecord, code: String, label: String) {
            let f = record.fields
            let relation = columns.relation.map { value(f, $0).trimmingSpaces().lowercased() } ?? "exact"
            if relation == "excluded" {
                add(code, .init(nationalCode: code, label: label, mapping: .excluded("excluded")), line: record.line)
                return
            }
            let outcome = ICCSRepair.read(value(f, columns.iccs[0]), in: iccs)
            guard let mapped = accept(outcome, code: code, line: record.line, column: columns.iccs[0]) else { return }
            switch relation {
            case "exact", "":
                add(code, .init(nationalCode: code, label: label, mapping: .exact(mapped)), line: record.line)
            case "partial":
                let shareText = columns.share.map { value(f, $0).trimmingSpaces() } ?? ""
                guard let share = Double(shareText), share > 0, share <= 1 else {
                    reject(
                        code, "correspondence.share",
                        "National code \(code): a partial mapping needs a share above 0 and at most 1, not \"\(shareText)\".",
                        line: record.line, column: columns.share ?? columns.code)
                    return
                }
                if partial[code] == nil { order.append(code) }
                partial[code, default: (label, [], record.line)].shares.append(.init(code: mapped, share: share))
            default:
                reject(
                    code, "correspondence.relation",
                    "National code \(code): the relation \"\(relation)\" is not exact, partial or excluded.",
                    line: record.line, column: columns.relation ?? columns.code)
            }
        }

        mutating func accept(_ outcome: ICCSRepair.Outcome, code: String, line: Int, column: String) -> ICCSCode? {
            switch outcome {
            case .exact(let c): return c
            case .repaired(let c, let text):
                note(.warning, "correspondence.repaired", "National code \(code): \(text).", line: line, column: column)
                return c
            case .blank:
                note(
                    .warning, "correspondence.unmapped",
                    "National code \(code) has no ICCS code; its figures will be left out.", line: line, column: column)
                return nil
            case .rejected(let text):
                reject(code, "correspondence.unknown-code", "National code \(code): \(text).", line: line, column: column)
                return nil
            }
        }

        mutating func add(_ code: String, _ entry: Correspondence.Entry, line: Int) {
            if let (_, first) = exact[code] ?? partial[code].map({ (entry, $0.line) }) {
                reject(
                    code, "correspondence.duplicate",
                    "National code \(code) is listed again (first on line \(first)); use relation partial with "
                        + "shares to split it.", line: line, column: columns.code)
                return
            }
            exact[code] = (entry, line)
            order.append(code)
        }

        mutating func checkShares() {
            for code in order {
                guard let p = partial[code] else { continue }
                let total = p.shares.reduce(0) { $0 + $1.share }
                if total > 1 + 1e-9 {
                    reject(
                        code, "correspondence.share",
                        "National code \(code): its shares add up to \(RuleFormatting.number(total)), more than 1.",
                        line: p.line, column: columns.share ?? columns.code)
                }
            }
        }

        /// The entries of the codes without an error.
        func entries() -> [Correspondence.Entry] {
            order.filter { invalid[$0] == nil }.compactMap { code in
                if let (entry, _) = exact[code] { return entry }
                guard let p = partial[code] else { return nil }
                return .init(nationalCode: code, label: p.label, mapping: .partial(p.shares))
            }
        }
    }
}
