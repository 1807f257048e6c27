import CTSCLI
import CTSCore
import CTSIO
import CTSStore
import Foundation
import Testing

/// Tests/Corpus/bad holds realistic broken inputs (made by scripts/make_bad_corpus.py); expected.csv says
/// which rule must report each. None may crash, none may reach the store.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var kind: String
        var rule: String
        var description: String { file }
    }

    static let cases: [Case] = {
        let table = try! CSVTable.read(
            path: Repo.path("Tests/Corpus/expected.csv"), required: ["file", "kind", "rule"])
        return table.rows.map { Case(file: $0["file"]!, kind: $0["kind"]!, rule: $0["rule"]!) }
    }()

    @Test func theCorpusHasAtLeastFortyInputs() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func eachBadInputGetsItsClearError(_ c: Case) throws {
        let path = Repo.path("Tests/Corpus/bad/\(c.file)")
        var findings: [Finding]
        if c.kind == "return" {
            let parsed = try ReturnFixture.reader().read(path: path)
            findings = parsed.findings
            if let q = parsed.questionnaire { findings += Validator(questionnaire: q).validate(parsed.cells) }
        } else {
            let loaded = try QuestionnaireLoader.load(path: path)
            findings = loaded.findings
            if let q = loaded.questionnaire { findings += QuestionnaireLinter(iccs: Repo.reference.iccs).lint(q) }
        }
        let match = findings.first { $0.ruleID == c.rule && $0.severity == .error }
        #expect(match != nil, "\(c.file): expected \(c.rule), got \(findings.map(\.ruleID))")
        // Every error says where: the file, and a line when the problem is in one.
        if let location = match?.location {
            #expect(location.file == path)
            #expect(location.line >= 1 && location.column >= 1)
        }
        #expect(!(match?.message.isEmpty ?? true))
    }

    @Test func badReturnsNeverReachTheStore() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let result = runCTS([
            "ingest", Repo.path("Tests/Corpus/bad"), "--db", db, "--questionnaires", Repo.path("questionnaires"),
            "--reference", Repo.path("reference"),
        ])
        #expect(result.status == 1, "\(result.out)\(result.err)")
        let returns = Self.cases.filter { $0.kind == "return" }.count
        #expect(result.out.contains("0 stored, \(returns) rejected"))
        let store = try Store(path: db)
        #expect(try store.db.scalar("SELECT count(*) FROM submission")?.int == 0)
        #expect(try store.db.scalar("SELECT count(*) FROM cell")?.int == 0)
    }

    @Test func brokenQuestionnairesStopEveryCommandWithStatusTwo() {
        for c in Self.cases where c.kind == "questionnaire" {
            let result = runCTS([
                "validate", Repo.path("submissions/KEN-2020.csv"), "--questionnaires",
                Repo.path("Tests/Corpus/bad/\(c.file)"),
                "--reference", Repo.path("reference"),
            ])
            #expect(result.status == 2, "\(c.file)")
            #expect(result.err.contains(c.file), "\(c.file): \(result.err.prefix(300))")
        }
    }

    @Test func oddFileNames() throws {
        let dir = TemporaryDirectory()
        let text = returnCSV(ReturnFixture.requiredRows())
        for name in [
            "with space.csv", "Côte d’Ivoire 2020.csv", "-starts-with-dash.csv", "UPPER.CSV", "semi;colon.csv",
        ] {
            let file = dir.write(name, text)
            let direct = runCTS([
                "validate", "--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference"),
                "--", file,
            ])
            #expect(direct.status == 0, "\(name): \(direct.out)\(direct.err)")
            #expect(direct.out.contains(name))
        }
        // A folder named like a return is not a return.
        try FileManager.default.createDirectory(atPath: dir.path + "/folder.csv", withIntermediateDirectories: true)
        let folder = runCTS([
            "validate", dir.path + "/folder.csv", "--questionnaires", Repo.path("questionnaires"), "--reference",
            Repo.path("reference"),
        ])
        #expect(folder.status == 2)
    }

    @Test func outputsCannotCarrySpreadsheetFormulas() throws {
        let dir = TemporaryDirectory()
        let db = ["--db", dir.path + "/cts.sqlite"]
        var rows = ReturnFixture.requiredRows()
        rows[0][9] = "=HYPERLINK(\"http://example.invalid\")"
        rows[1][9] = "+1-555-0100"
        rows[2][9] = "@SUM(A1)"
        let file = dir.write(
            "r.csv",
            returnCSV(
                rows.map {
                    $0.map {
                        $0.contains(",") || $0.contains("\"")
                            ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0
                    }
                }))
        #expect(
            runCTS(
                [
                    "ingest", file, "--questionnaires", Repo.path("questionnaires"), "--reference",
                    Repo.path("reference"),
                ] + db
            ).status == 0)
        let history = runCTS(["history", "KEN"] + db)
        for line in history.out.split(separator: "\n") {
            for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                let text = field.hasPrefix("\"") ? field.dropFirst() : field[...]
                #expect(!(text.hasPrefix("=") || text.hasPrefix("+") || text.hasPrefix("@")), "\(line)")
            }
        }
        let groups = dir.write("groups.csv", "group_id,group_name,iso3\n=evil,=cmd|' /C calc'!A0,KEN\n")
        let out = dir.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        #expect(
            runCTS(
                [
                    "aggregate", "--groups", groups, "--output", out, "--questionnaires", Repo.path("questionnaires"),
                    "--reference", Repo.path("reference"),
                ] + db
            ).status == 0)
        let trends = try String(contentsOfFile: out + "/trends.csv", encoding: .utf8)
        #expect(trends.contains("custom,'=evil,'=cmd|' /C calc'!A0,"))
        #expect(!trends.contains(",=evil"))
    }
}
