import ArgumentParser
import CTSCore
import CTSIO

/// `cts questionnaire ...`: work with questionnaire definitions.
struct QuestionnaireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questionnaire",
        abstract: "Work with questionnaire definitions.",
        discussion: """
            Examples:
              cts questionnaire lint
              cts questionnaire lint questionnaires/un-cts-2024.yaml --reference reference
            """,
        subcommands: [Lint.self, WorkbookCommand.self])

    /// `cts questionnaire lint FILE...`: report mistakes in questionnaire definitions.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check questionnaire definitions: ICCS codes, dimensions, ids and rules.",
            discussion: """
                Examples:
                  cts questionnaire lint questionnaires/un-cts-2024.yaml
                  cts questionnaire lint questionnaires
                """)

        @Argument(help: "Questionnaire files (YAML) or folders of them.")
        var paths: [String] = ["questionnaires"]

        @Option(help: "Folder with the reference tables (ICCS, countries).")
        var reference = "reference"

        func run() throws {
            let console = Console.current
            let data = try Workspace.loadReference(reference, population: false)
            let linter = QuestionnaireLinter(iccs: data.iccs)
            var errors = 0
            var warnings = 0
            var checked = 0
            var loadedAll: [Questionnaire] = []
            for path in paths {
                for file in try FileSystem.listFiles(path, extensions: ["yaml", "yml"]).files {
                    checked += 1
                    let loaded = try QuestionnaireLoader.load(path: file)
                    var findings = loaded.findings
                    if let q = loaded.questionnaire {
                        findings += linter.lint(q)
                        loadedAll.append(q)
                    }
                    findings.sort(by: Finding.reportOrder)
                    for f in findings { console.out(CTS.render(f)) }
                    let e = findings.filter { $0.severity == .error }.count
                    errors += e
                    warnings += findings.filter { $0.severity == .warning }.count
                    let summary =
                        loaded.questionnaire.map { q in
                            "\(q.reference): \(q.tables.count) tables, \(q.tables.reduce(0) { $0 + $1.variables.count }) "
                                + "variables, \(q.rules.count) rules"
                        } ?? "not loaded"
                    console.out("\(e == 0 ? "OK" : "FAIL") \(file) (\(summary)): \(e) error\(e == 1 ? "" : "s")\n")
                }
            }
            for f in QuestionnaireCatalog.duplicateDefinitions(loadedAll) {
                console.out(CTS.render(f))
                errors += 1
            }
            if checked == 0 {
                console.err("cts: no questionnaire (*.yaml) found\n")
                throw ExitCode(2)
            }
            if errors > 0 { throw ExitCode(1) }
        }
    }
}
