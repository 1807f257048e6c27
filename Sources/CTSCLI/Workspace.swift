import CTSCore
import CTSIO

/// The questionnaires and reference tables a command works with, loaded and linted once.
struct Workspace {
    var reference: ReferenceData
    var catalog: QuestionnaireCatalog

    /// A problem that stops a command before it looks at any return; exits with code 2.
    struct SetupFailure: Error {
        var findings: [Finding]
        var message: String
    }

    static func loadReference(_ directory: String, population: Bool = true) throws -> ReferenceData {
        do {
            return try ReferenceData.load(directory: directory, population: population)
        } catch let error as InputError {
            throw SetupFailure(
                findings: [error.finding],
                message: "The reference tables in \(directory) cannot be loaded (use --reference DIR).")
        }
    }

    /// Loads every `*.yaml` in `directory` (or one file), lints them, and picks the default questionnaire.
    static func load(
        questionnaires path: String, reference directory: String, choose: String?, population: Bool = true
    ) throws -> Workspace {
        try load(questionnaires: path, reference: try loadReference(directory, population: population), choose: choose)
    }

    /// Loads and lints the questionnaires against reference tables already loaded.
    static func load(questionnaires path: String, reference: ReferenceData, choose: String?) throws -> Workspace {
        let files = try FileSystem.listFiles(path, extensions: ["yaml", "yml"]).files
        guard !files.isEmpty else {
            throw SetupFailure(
                findings: [], message: "No questionnaire (*.yaml) found in \(path) (use --questionnaires).")
        }
        var loaded: [Questionnaire] = []
        var problems: [Finding] = []
        let linter = QuestionnaireLinter(iccs: reference.iccs)
        for file in files {
            let result = try QuestionnaireLoader.load(path: file)
            problems += result.findings
            if let q = result.questionnaire, result.findings.isEmpty {
                let lint = linter.lint(q)
                problems += lint
                if !lint.contains(where: { $0.severity == .error }) { loaded.append(q) }
            }
        }
        problems += QuestionnaireCatalog.duplicateDefinitions(loaded)
        if problems.contains(where: { $0.severity == .error }) {
            throw SetupFailure(
                findings: problems,
                message: "The questionnaire definitions have errors; fix them (cts questionnaire lint).")
        }
        var chosen: Questionnaire? = nil
        if let choose {
            switch QuestionnaireCatalog(loaded).find(choose) {
            case .success(let q): chosen = q
            case .failure(let problem): throw SetupFailure(findings: [], message: "--questionnaire: \(problem.message)")
            }
        }
        return Workspace(reference: reference, catalog: QuestionnaireCatalog(loaded, default: chosen))
    }
}
