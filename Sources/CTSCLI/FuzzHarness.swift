import CTSCore
import CTSIO
import CTSStore
import Foundation

/// The entry points the fuzzers drive (Sources/cts-fuzz) and the regression tests replay: each takes any
/// bytes and must return without crashing, whatever they hold.
public enum FuzzHarness {
    public enum Target: String, CaseIterable, Sendable {
        case csv, questionnaire, rule
        /// A return validated, stored with its errors, aggregated and exported, in a fresh store.
        case store
        /// A national-offence-to-ICCS correspondence table, then national figures normalized through it.
        case correspondence
        /// A custom-groups file, then the sample observations aggregated into those groups.
        case groups
        /// A workbook (.xlsx): unzipped, its XML parsed by expat, turned into a return and checked.
        case xlsx
    }

    /// Questionnaire and reference data, loaded once from `root` (the repository).
    public final class Fixtures: Sendable {
        let root: String
        let catalog: QuestionnaireCatalog
        let reference: ReferenceData
        /// National figures of a sample return, for the correspondence target.
        let national: [ReturnCell]
        /// The observations of a few sample returns, for the groups target.
        let observations: [Observation]
        /// The world's groups with their populations, made once (most of an input's time otherwise).
        let aggregator: Aggregator

        public init(root: String) throws {
            self.root = root
            reference = try ReferenceData.load(directory: root + "/reference")
            let loaded = try QuestionnaireLoader.load(path: root + "/questionnaires/un-cts-2024.yaml")
            guard let q = loaded.questionnaire, loaded.findings.isEmpty else {
                throw InputError("The shipped questionnaire does not load.")
            }
            catalog = QuestionnaireCatalog([q])
            let reader = ReturnReader(catalog: catalog, countries: reference.countries)
            let normalizer = Normalizer(questionnaire: q, countries: reference.countries)
            var observations: [Observation] = []
            var national: [ReturnCell] = []
            for name in [
                "submissions/KEN-2020.csv", "submissions/CHL-2020.csv", "submissions/GBR-2018.csv",
                "Tests/Fixtures/store-v6/KEN-national.csv",
            ] {
                let path = root + "/" + name
                guard FileInput.isReadableFile(path) else { continue }
                for cell in try reader.read(path: path).cells {
                    if normalizer.isNationalTable(cell.key.table) { national.append(cell) }
                    observations += normalizer.observations(for: cell).observations
                }
            }
            self.national = national
            self.observations = observations
            aggregator = Aggregator(
                countries: reference.countries.countries, population: reference.population, custom: [],
                breakdowns: BreakdownTree(codeLists: catalog.defaultQuestionnaire?.codeLists ?? []),
                options: AggregationOptions())
        }
    }

    /// Runs `bytes` through `target`; returns how many findings, observations or rows it produced (to keep
    /// the work observable).
    @discardableResult
    public static func run(_ target: Target, _ bytes: [UInt8], fixtures: Fixtures) -> Int {
        switch target {
        case .csv:
            // The first byte picks the chunk size, so chunk boundaries are fuzzed too.
            let chunk = Int(bytes.first ?? 64) + 1
            let encoding: TextEncoding = (bytes.first ?? 0) & 1 == 0 ? .utf8 : .windows1252
            let reader = ReturnReader(
                catalog: fixtures.catalog, countries: fixtures.reference.countries, encoding: encoding,
                population: fixtures.reference.population)
            let parsed = reader.read(bytes: Array(bytes.dropFirst()), name: "fuzz.csv", chunkSize: chunk)
            var findings = parsed.findings
            if let q = parsed.questionnaire {
                let bound = PopulationBound(
                    population: fixtures.reference.population, countries: fixtures.reference.countries)
                findings += Validator(questionnaire: q, population: bound).validate(parsed.cells)
            }
            return findings.count
        case .questionnaire:
            let loaded = QuestionnaireLoader.load(yaml: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
            guard let q = loaded.questionnaire else { return loaded.findings.count }
            return loaded.findings.count + QuestionnaireLinter(iccs: fixtures.reference.iccs).lint(q).count
        case .rule:
            let text = String(decoding: bytes, as: UTF8.self)
            guard let q = fixtures.catalog.defaultQuestionnaire else { return 0 }
            var count = 0
            if let expression = try? RuleParser.parse(text) {
                let evaluator = RuleEvaluator(
                    questionnaire: q, cells: CellTable(coder: CellCoder(questionnaire: q)), binding: [expression])
                if case .unknown(let reasons) = evaluator.evaluate(expression, country: "KEN", year: 2020) {
                    count += reasons.count
                }
                let rule = Rule(
                    id: "fuzz", severity: .warning, message: MessageTemplate(parts: []), expression: expression)
                var fuzzed = q
                fuzzed.rules = [rule]
                count += QuestionnaireLinter(iccs: fixtures.reference.iccs).lint(fuzzed).count
            }
            if let template = try? MessageTemplate.parse(text) { count += template.parts.count }
            return count
        case .store:
            return (try? withFile(bytes, named: "fuzz.csv") { file, folder in try store(file, in: folder, fixtures) })
                ?? 0
        case .correspondence:
            return
                (try? withFile(bytes, named: "fuzz-correspondence.csv") { file, _ in
                    let loaded = try CorrespondenceLoader.load(path: file, iccs: fixtures.reference.iccs)
                    guard let q = fixtures.catalog.defaultQuestionnaire else { return loaded.findings.count }
                    let normalizer = Normalizer(
                        questionnaire: q, countries: fixtures.reference.countries,
                        correspondence: loaded.correspondence)
                    return loaded.findings.count
                        + fixtures.national.reduce(0) { $0 + normalizer.observations(for: $1).observations.count }
                }) ?? 0
        case .xlsx:
            // A first byte of 0 feeds the rest as a whole .xlsx (the zip and its checksums); any other, as the
            // XML of a sheet inside a fixed workbook, so that mutations reach the sheet reader.
            let workbook: Workbook
            do {
                if bytes.first == 0 {
                    workbook = try Workbook.read(data: Data(bytes.dropFirst()), name: "fuzz.xlsx", partLimit: 16 << 20)
                } else {
                    workbook = try Workbook.read(parts: fuzzParts(sheet: Array(bytes.dropFirst())), name: "fuzz.xlsx")
                }
            } catch {
                return 1
            }
            let converted = WorkbookReturn(workbook)
            let reader = ReturnReader(catalog: fixtures.catalog, countries: fixtures.reference.countries)
            let parsed = reader.read(bytes: converted.csv, name: "fuzz.xlsx")
            var findings = converted.findings + parsed.findings.map(converted.relocate)
            if let q = parsed.questionnaire { findings += Validator(questionnaire: q).validate(parsed.cells) }
            return findings.map { $0.location?.description ?? "" }.count
        case .groups:
            return
                (try? withFile(bytes, named: "fuzz-groups.csv") { file, _ in
                    let groups = try CustomGroups.load(path: file, countries: fixtures.reference.countries)
                    let aggregator = Aggregator(
                        countries: fixtures.reference.countries.countries, population: fixtures.reference.population,
                        custom: groups, breakdowns: fixtures.aggregator.breakdowns, options: AggregationOptions())
                    return aggregator.families(fixtures.observations).reduce(0) {
                        $0 + aggregator.aggregate(family: $1).count
                    }
                }) ?? 0
        }
    }

    /// Runs `body` on `bytes` written to a file in a fresh temporary folder, removed afterwards.
    static func withFile<T>(_ bytes: [UInt8], named name: String, _ body: (String, String) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.path + "/cts-fuzz-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/" + name
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
            throw InputError("Cannot write \(file).")
        }
        return try body(file, folder)
    }

    /// The return at `file` validated and stored (with its errors) into a new store in `folder`, then
    /// aggregated into the trend table and exported there, as `cts run` does (without the charts and
    /// pages, which take the trend rows as the table does); returns the rows and observations written.
    static func store(_ file: String, in folder: String, _ fixtures: Fixtures) throws -> Int {
        let workspace = Workspace(reference: fixtures.reference, catalog: fixtures.catalog)
        let db = folder + "/cts.sqlite"
        let store = try Store(path: db)
        let reader = workspace.reader(encoding: .utf8)
        _ = try Ingestion(
            workspace: workspace, store: store, reader: reader, correspondence: nil, allowErrors: true,
            receivedAt: "2026-01-01T00:00:00Z"
        ).ingest(file)
        let dimensions = fixtures.catalog.defaultQuestionnaire?.dimensionIDs ?? []
        var (rows, _, _, _) = try AggregationArguments.aggregate(
            store, asOf: nil, with: fixtures.aggregator, units: fixtures.reference.countries.reportingUnits)
        TrendTable.sort(&rows)
        let table = TrendTable.csv(rows, dimensions: dimensions, method: fixtures.aggregator.options.method)
        return table.utf8.count
            + (try ExportCommand.write(
                store.observationList(), units: fixtures.reference.countries.reportingUnits, dimensions: dimensions,
                to: folder + "/outputs"
            ).count)
    }

    /// A workbook around `sheet`: one sheet and a hidden key sheet, shared strings and a date style.
    static func fuzzParts(sheet: [UInt8]) -> [String: [UInt8]] {
        let text: [String: String] = [
            "xl/workbook.xml":
                "<workbook><workbookPr date1904=\"0\"/><sheets><sheet name=\"police_offences\" sheetId=\"1\" r:id=\"rId1\"/>"
                + "<sheet name=\"cts_keys\" sheetId=\"2\" r:id=\"rId2\" state=\"hidden\"/></sheets></workbook>",
            "xl/_rels/workbook.xml.rels":
                "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
                + "<Relationship Id=\"rId2\" Target=\"/xl/worksheets/sheet2.xml\"/></Relationships>",
            "xl/sharedStrings.xml":
                "<sst><si><t>country</t></si><si><t>value</t></si><si><t>KEN</t></si><si><t>police_offences</t></si>"
                + "<si><t>homicide</t></si><si><r><t>1,2</t></r><r><t>34</t></r></si></sst>",
            "xl/styles.xml": "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>",
            "xl/worksheets/sheet2.xml":
                "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>cts workbook</t></is></c></row>"
                + "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>reporter</t></is></c><c r=\"B4\" t=\"inlineStr\"><is><t>KEN</t></is></c></row>"
                + "<row r=\"8\">" + ["sheet", "value_cell", "status_cell", "note_cell", "table", "variable", "year", "sex"].enumerated().map {
                    "<c r=\"\(CellReference.letters($0.offset + 1))8\" t=\"inlineStr\"><is><t>\($0.element)</t></is></c>"
                }.joined() + "</row>"
                + "<row r=\"9\">" + ["police_offences", "D7", "E7", "F7", "police_offences", "homicide", "2020", ""].enumerated().map {
                    "<c r=\"\(CellReference.letters($0.offset + 1))9\" t=\"inlineStr\"><is><t>\($0.element)</t></is></c>"
                }.joined() + "</row></sheetData></worksheet>",
        ]
        var parts = text.mapValues { Array($0.utf8) }
        parts["xl/worksheets/sheet1.xml"] = sheet
        return parts
    }
}
