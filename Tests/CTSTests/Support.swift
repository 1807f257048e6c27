import CTSCLI
import CTSCore
import CTSIO
import CTSStore
import Foundation
import Testing

/// Paths and shared fixtures for the tests.
enum Repo {
    /// The repository root, found from this file's path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    static let reference: ReferenceData = try! ReferenceData.load(directory: path("reference"))

    /// Every `n`th sample return in `submissions/` (by name): several regions in a few files.
    static func sampleReturns(every n: Int) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path("submissions")).sorted()
            .filter { $0.hasSuffix(".csv") }.enumerated().filter { $0.offset % n == 0 }
            .map { path("submissions/" + $0.element) }
    }

    static let questionnaire: Questionnaire = {
        let result = try! QuestionnaireLoader.load(path: path("questionnaires/un-cts-2024.yaml"))
        precondition(result.findings.isEmpty, "\(result.findings)")
        return result.questionnaire!
    }()
}

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "cts-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Every cts store left in the folder is checked first: its foreign keys must all hold, whatever the
    /// test wrote into it.
    deinit {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where name.hasSuffix(".sqlite") {
            guard let db = try? Database(path: path + "/" + name, readOnly: true),
                (try? db.scalar("PRAGMA user_version")?.int) == Schema.version
            else { continue }
            let broken = (try? db.rows("PRAGMA foreign_key_check")) ?? []
            if !broken.isEmpty {
                Issue.record("\(name): \(broken.count) rows break a foreign key: \(broken.prefix(3))")
            }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Makes the folder `name` (and its parents) holding `files` (name → text); returns its path.
    @discardableResult
    func folder(_ name: String, _ files: [String: String] = [:]) -> String {
        let folder = path + "/" + name
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (file, text) in files { try! text.write(toFile: folder + "/" + file, atomically: true, encoding: .utf8) }
        return folder
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }
}

/// Runs `cts` in process and captures what it prints.
func runCTS(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
    let console = Console(capturing: true, color: false)
    let status = Console.$current.withValue(console) {
        CTS.run(arguments: arguments)
    }
    return (status, console.output.out, console.output.err)
}

/// Builds a return's CSV text from rows of the standard columns.
func returnCSV(_ rows: [[String]], header: [String] = ReturnFixture.header) -> String {
    ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
}

enum ReturnFixture {
    static let header = [
        "country", "year", "table", "variable", "sex", "age", "citizenship", "value", "status", "note",
    ]

    static func reader() -> ReturnReader {
        ReturnReader(catalog: QuestionnaireCatalog([Repo.questionnaire]), countries: Repo.reference.countries)
    }

    /// Reads and fully validates `text` as a return named `name`.
    static func validate(_ text: String, name: String = "test.csv") -> [Finding] {
        let parsed = reader().read(bytes: Array(text.utf8), name: name)
        var findings = parsed.findings
        if let q = parsed.questionnaire { findings += Validator(questionnaire: q).validate(parsed.cells) }
        return findings
    }

    /// The required rows (totals) for KEN in `year`, with value 10 unless overridden.
    static func requiredRows(year: Int = 2020, value: String = "10") -> [[String]] {
        [
            ["KEN", "\(year)", "police_offences", "homicide", "", "", "", value, "", ""],
            ["KEN", "\(year)", "police_offences", "serious_assault", "", "", "", value, "", ""],
            ["KEN", "\(year)", "police_offences", "sexual_violence", "", "", "", value, "", ""],
            ["KEN", "\(year)", "police_offences", "robbery", "", "", "", value, "", ""],
            ["KEN", "\(year)", "police_offences", "theft", "", "", "", value, "", ""],
            ["KEN", "\(year)", "persons_suspected", "homicide", "_T", "_T", "_T", value, "", ""],
            ["KEN", "\(year)", "persons_convicted", "homicide", "_T", "_T", "_T", value, "", ""],
            ["KEN", "\(year)", "homicide_victims", "homicide", "_T", "", "", value, "", ""],
        ]
    }
}

extension Aggregator {
    /// The trend rows of every family of `observations`, through the aggregator's one way in.
    func rows(_ observations: [Observation]) -> [AggregateRow] { families(observations).flatMap(aggregate(family:)) }
}
