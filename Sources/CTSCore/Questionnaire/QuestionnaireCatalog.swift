/// The questionnaires a return may be checked against, and which one applies when a return does not say.
public struct QuestionnaireCatalog: Sendable {
    public var questionnaires: [Questionnaire]
    /// Used for returns without a `questionnaire` column: the newest version of the only id, or the one chosen.
    public var defaultQuestionnaire: Questionnaire?

    public init(_ questionnaires: [Questionnaire], default chosen: Questionnaire? = nil) {
        self.questionnaires = questionnaires
        if let chosen {
            defaultQuestionnaire = chosen
        } else if Set(questionnaires.map(\.id)).count == 1 {
            defaultQuestionnaire = questionnaires.max { Self.versionLess($0.version, $1.version) }
        } else {
            defaultQuestionnaire = nil
        }
    }

    /// Finds `ID/VERSION`; the error text lists what is available.
    public func find(_ reference: String) -> Result<Questionnaire, NameError> {
        if let q = questionnaires.first(where: { $0.reference == reference }) { return .success(q) }
        let known = questionnaires.map(\.reference).sorted().joined(separator: ", ")
        let parts = reference.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2, questionnaires.contains(where: { $0.id == parts[0] }) {
            return .failure(NameError("questionnaire \(parts[0]) has no version \(parts[1]); known versions: \(known)"))
        }
        return .failure(NameError("unknown questionnaire \"\(reference)\"; write ID/VERSION, one of: \(known)"))
    }

    /// Compares dotted versions numerically where possible (`2023.10` after `2023.9`).
    static func versionLess(_ a: String, _ b: String) -> Bool {
        let pa = a.split(separator: ".")
        let pb = b.split(separator: ".")
        for (x, y) in zip(pa, pb) where x != y {
            if let ix = Int(x), let iy = Int(y) { return ix < iy }
            return x < y
        }
        return pa.count < pb.count
    }

    /// An error for each questionnaire and version that more than one of `questionnaires` defines: which one
    /// a return follows would otherwise depend on the order of file names.
    public static func duplicateDefinitions(_ questionnaires: [Questionnaire]) -> [Finding] {
        Dictionary(grouping: questionnaires, by: \.reference).sorted { $0.key < $1.key }.compactMap { reference, same in
            guard same.count > 1 else { return nil }
            let files = same.map(\.source).sorted()
            return Finding(
                ruleID: "lint.duplicate-questionnaire", severity: .error,
                message: "\(reference) is defined by \(same.count) files (\(files.joined(separator: ", "))); keep one, "
                    + "or give the other a new version.",
                location: SourceLocation(file: files[1], line: 1, column: 1))
        }
    }
}
