import CTSCore
import CTSIO

/// The entry points the fuzzers drive (Sources/cts-fuzz) and the regression tests replay: each takes any
/// bytes and must return without crashing, whatever they hold.
public enum FuzzHarness {
    public enum Target: String, CaseIterable, Sendable {
        case csv, questionnaire, rule
    }

    /// Questionnaire and reference data, loaded once from `root` (the repository).
    public final class Fixtures: Sendable {
        let catalog: QuestionnaireCatalog
        let reference: ReferenceData

        public init(root: String) throws {
            reference = try ReferenceData.load(directory: root + "/reference")
            let loaded = try QuestionnaireLoader.load(path: root + "/questionnaires/un-cts-2024.yaml")
            guard let q = loaded.questionnaire, loaded.findings.isEmpty else {
                throw InputError("The shipped questionnaire does not load.")
            }
            catalog = QuestionnaireCatalog([q])
        }
    }

    /// Runs `bytes` through `target`; returns how many findings it produced (to keep the work observable).
    @discardableResult
    public static func run(_ target: Target, _ bytes: [UInt8], fixtures: Fixtures) -> Int {
        switch target {
        case .csv:
            // The first byte picks the chunk size, so chunk boundaries are fuzzed too.
            let chunk = Int(bytes.first ?? 64) + 1
            let encoding: TextEncoding = (bytes.first ?? 0) & 1 == 0 ? .utf8 : .windows1252
            let reader = ReturnReader(
                catalog: fixtures.catalog, countries: fixtures.reference.countries, encoding: encoding)
            let parsed = reader.read(bytes: Array(bytes.dropFirst()), name: "fuzz.csv", chunkSize: chunk)
            var findings = parsed.findings
            if let q = parsed.questionnaire { findings += Validator(questionnaire: q).validate(parsed.cells) }
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
                let evaluator = RuleEvaluator(questionnaire: q, cells: CellTable(coder: CellCoder(questionnaire: q)), binding: [expression])
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
        }
    }
}
