import CTSCore
import CTSIO
import CTSStore
import Foundation
import Testing

@testable import CTSCLI

/// Inputs a hostile probe found to crash or hang cts: each must now be refused or handled.
@Suite struct HostileInputTests {
    /// Every year asked for becomes rows: a year range of a hundred million years aborted allocating.
    @Test(arguments: [["--from", "1", "--to", "100000000"], ["--to", "100000000"], ["--base-year=-5"]])
    func aggregateRefusesYearsNoReturnCouldHold(_ years: [String]) {
        let dir = TemporaryDirectory()
        let result = runCTS(["aggregate", "--db", dir.path + "/cts.sqlite", "--output", dir.path + "/out"] + years)
        #expect(result.status != 0)
        #expect(result.err.contains("outside 1900–2100"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
    }

    /// A store whose version is negative crashed every command.
    @Test func aStoreWithANegativeVersionIsRefused() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/cts.sqlite"
        try Database(path: path).execute("PRAGMA user_version = -1")
        let result = runCTS(["history", "KEN", "--db", path])
        #expect(result.status == 2)
        #expect(result.err.contains("schema version -1"))
    }
}

/// Rules long enough to exhaust the stack of the checker that walks them.
@Suite struct LongRuleTests {
    /// A rule adding 9,000 terms crashed lint, validate and run with a stack overflow in the type checker.
    @Test func aRuleOfNineThousandTermsIsRefusedWithItsReason() throws {
        let shipped = try String(contentsOfFile: Repo.path("questionnaires/un-cts-2024.yaml"), encoding: .utf8)
        let sum = Array(repeating: "police_offences.theft", count: 9_000).joined(separator: " + ")
        let yaml = shipped.replacingOccurrences(
            of: "    expr: persons_convicted.homicide <= persons_suspected.homicide within 10%",
            with: "    expr: \(sum) >= 0")
        #expect(yaml != shipped)
        let loaded = QuestionnaireLoader.load(yaml: yaml, file: "q.yaml")
        let findings =
            loaded.findings
            + (loaded.questionnaire.map { QuestionnaireLinter(iccs: Repo.reference.iccs).lint($0) } ?? [])
        #expect(
            findings.contains { $0.severity == .error && $0.message.contains("more than 300 operators") },
            "\(findings.prefix(3))")
        // A long rule that stays within the limit is fine.
        #expect(throws: Never.self) {
            try RuleParser.parse(Array(repeating: "1", count: 301).joined(separator: " + "))
        }
        #expect(throws: RuleSyntaxError.self) {
            try RuleParser.parse(Array(repeating: "1", count: 302).joined(separator: " * "))
        }
    }
}

/// Ids that become file names of outputs.
@Suite struct OutputNameTests {
    /// `indicator: ../../../escaped` passed lint, and run wrote a CSV and an SVG three folders above
    /// outputs/trends.
    @Test func anIndicatorThatIsAPathFailsLintAndNamesNoFile() throws {
        let shipped = try String(contentsOfFile: Repo.path("questionnaires/un-cts-2024.yaml"), encoding: .utf8)
        let yaml = shipped.replacingOccurrences(
            of: "indicator: persons_suspected", with: "indicator: ../../../escaped")
        #expect(yaml != shipped)
        let loaded = QuestionnaireLoader.load(yaml: yaml, file: "q.yaml")
        let findings = loaded.findings + QuestionnaireLinter(iccs: Repo.reference.iccs).lint(loaded.questionnaire!)
        #expect(findings.contains { $0.ruleID == "lint.bad-id" && $0.message.contains("../../../escaped") })
        // Where the names are made, too.
        for bad in ["../../../escaped", "a/b", "", "x.csv", "<script>"] {
            #expect(throws: InputError.self) { try TrendOutputs.fileName(bad) }
        }
        #expect(try TrendOutputs.fileName("offences_recorded_ICCS0101") == "offences_recorded_ICCS0101")
    }
}

/// Every entry of a folder of returns is accounted for.
@Suite struct FolderListingTests {
    /// A return whose name is not UTF-8 was skipped without a word ("8 in submissions" when there were 9).
    @Test func entriesThatAreNotReturnsAreListedWithTheirReason() throws {
        let dir = TemporaryDirectory()
        let folder = dir.folder(
            "in", ["KEN-2020.csv": returnCSV(ReturnFixture.requiredRows()), "notes.txt": "notes\n"])
        dir.folder("in/old")
        // A Latin-1 name: "Côte.csv" with ô as the single byte 0xF4.
        let latin1: [UInt8] = Array((folder + "/C").utf8) + [0xF4] + Array("te.csv".utf8) + [0]
        let fd = latin1.withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
        }
        #expect(fd >= 0)
        close(fd)
        let listing = try FileSystem.listFiles(folder, extensions: ["csv"])
        #expect(listing.files == [folder + "/KEN-2020.csv"])
        #expect(listing.skipped.count == 3)
        #expect(listing.skipped.contains { $0.reason.contains("not valid UTF-8") })
        #expect(listing.skipped.contains { $0.path.hasSuffix("/old") && $0.reason.contains("folder") })
        #expect(listing.skipped.contains { $0.path.hasSuffix("/notes.txt") && $0.reason.contains("not a return") })
        let result = runCTS(["validate", folder])
        #expect(result.err.contains("skipped") && result.err.contains("not valid UTF-8"), "\(result.err)")
    }
}

/// Escape sequences in a return are shown, never sent to the terminal.
@Suite struct TerminalEscapeTests {
    @Test func valuesAndNotesWithControlCharactersAreShownNotObeyed() throws {
        let dir = TemporaryDirectory()
        var rows = ReturnFixture.requiredRows()
        rows[3][7] = "\u{1B}[2J10"  // a value that would clear the screen
        let bad = dir.write("esc.csv", returnCSV(rows))
        let validated = runCTS(["validate", bad])
        #expect(!validated.out.contains("\u{1B}"), "\(validated.out)")
        #expect(validated.out.contains("\\u{1B}[2J10"))

        rows = ReturnFixture.requiredRows()
        rows[3][9] = "counted twice\u{1B}[8m hidden\u{0} and cut"
        let noted = dir.write("noted.csv", returnCSV(rows))
        let db = dir.path + "/cts.sqlite"
        #expect(runCTS(["ingest", noted, "--db", db]).status == 0)
        let history = runCTS(["history", "KEN", "--db", db, "--variable", "robbery"])
        #expect(!history.out.contains("\u{1B}") && !history.out.contains("\u{0}"))
        #expect(history.out.contains("counted twice\\u{1B}[8m hidden\\u{0} and cut"), "\(history.out)")
        // The note is stored whole, as it was sent.
        let stored = try Store(path: db).history(reporter: "KEN", variable: "robbery")
        #expect(stored.first?.note == "counted twice\u{1B}[8m hidden\u{0} and cut")
    }
}

/// Each return gets a report of its own.
@Suite struct ReportNameTests {
    /// X.csv and X.CSV in one folder shared X.html, and the index linked both to it.
    @Test func returnsWhoseNamesDifferOnlyInTheExtensionsCaseGetTheirOwnReports() throws {
        let dir = TemporaryDirectory()
        let folder = dir.folder(
            "in",
            [
                "X.csv": returnCSV(ReturnFixture.requiredRows()),
                "X.CSV": returnCSV(ReturnFixture.requiredRows(year: 2019)),
            ])
        let result = runCTS(["report", folder, "--output", dir.path + "/reports"])
        #expect(result.status == 0 || result.status == 1, "\(result.err)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/reports").sorted()
        #expect(reports == ["X.CSV.html", "X.html"])
    }
}

/// A report that cannot be written does not lose its return.
@Suite struct UnwritableReportTests {
    /// With reports/KEN.html a folder, the return was neither stored nor counted, and the summary read
    /// "1 stored, 0 rejected" of the others. Reports are now written aside and put in place together, so a
    /// folder in the way no longer stops one; a name too long for a report (255 bytes, the most a file
    /// name may have, and the report's is longer) still does.
    @Test func theReturnIsStoredAndTheMissingReportIsCounted() throws {
        let dir = TemporaryDirectory()
        let long = String(repeating: "K", count: 251) + ".csv"
        let submissions = dir.folder(
            "submissions",
            [
                "KEN.csv": returnCSV(ReturnFixture.requiredRows()),
                long: returnCSV(ReturnFixture.requiredRows(year: 2019)),
            ])
        let output = dir.path + "/outputs"
        dir.folder("outputs/reports/KEN.html")
        let result = runCTS(
            ["run", "--submissions", submissions, "--output", output, "--db", output + "/cts.sqlite", "--quiet"])
        #expect(result.status == 2)
        #expect(result.err.contains("the feedback report of \(submissions)/\(long) was not written"), "\(result.err)")
        #expect(
            result.out.contains("2 stored") && result.out.contains("1 feedback report not written"), "\(result.out)")
        #expect(try Store(path: output + "/cts.sqlite").submissions().count == 2)
        // The folder that was in the way went with the previous reports; KEN's report is in place.
        #expect(FileSystem.isDirectory(output + "/reports/KEN.html") == false)
        let reports = try FileManager.default.contentsOfDirectory(atPath: output + "/reports")
        #expect(reports == ["KEN.html"], "\(reports)")
    }
}

/// A UTF-8 file read as Windows-1252 stored garbled notes without a word.
@Suite struct EncodingMismatchTests {
    @Test func aUTF8FileReadAsWindows1252IsRefusedWithTheFix() throws {
        let dir = TemporaryDirectory()
        var rows = ReturnFixture.requiredRows()
        rows[0][9] = "Côte d’Ivoire"
        let file = dir.write("ken.csv", returnCSV(rows))
        let result = runCTS(["validate", file, "--encoding", "windows-1252"])
        #expect(result.status == 1)
        #expect(
            result.out.contains("csv.encoding-looks-utf8") && result.out.contains("Leave out --encoding"),
            "\(result.out)")
        let stored = runCTS(["ingest", file, "--encoding", "windows-1252", "--db", dir.path + "/cts.sqlite"])
        #expect(stored.status == 1 && stored.out.contains("rejected"))
        // Read as UTF-8 it is clean; a real Windows-1252 file is read without the finding.
        #expect(runCTS(["validate", file]).status == 0)
        var bytes = Array(returnCSV(ReturnFixture.requiredRows()).utf8)
        if let i = bytes.firstIndex(of: UInt8(ascii: "\n")) {
            // A note "Côte" in Windows-1252 on the first data row (its note field is the last, empty).
            let lineEnd = bytes[(i + 1)...].firstIndex(of: UInt8(ascii: "\n"))!
            bytes.insert(contentsOf: [UInt8(ascii: "C"), 0xF4, UInt8(ascii: "t"), UInt8(ascii: "e")], at: lineEnd)
        }
        let windows = dir.write("windows.csv", bytes: bytes)
        let read = runCTS(["validate", windows, "--encoding", "windows-1252"])
        #expect(!read.out.contains("csv.encoding-looks-utf8"), "\(read.out)")
    }
}

/// Questionnaire definitions a hostile probe got past lint.
@Suite struct LintHoleTests {
    let shipped = try! String(contentsOfFile: Repo.path("questionnaires/un-cts-2024.yaml"), encoding: .utf8)

    func lint(_ yaml: String) -> [Finding] {
        let loaded = QuestionnaireLoader.load(yaml: yaml, file: "q.yaml")
        guard let q = loaded.questionnaire else { return loaded.findings }
        return loaded.findings + QuestionnaireLinter(iccs: Repo.reference.iccs).lint(q)
    }

    @Test(arguments: [
        (
            "      - {code: _T, parts: [M, F, _U]}",
            "      - {code: _T, parts: [M, F, _U]}\n      - {code: M, parts: [_T, F]}", "lint.circular-total"
        ),
        (
            "      - {code: JUV, label: Juvenile (under 18)}",
            "      - {code: \"<script>\", label: Juvenile (under 18)}", "lint.bad-code"
        ),
        ("version: \"2024.1\"", "version: \"../../x/y\"", "lint.bad-id"),
        (
            "reference_years: {from: 2003, to: 2023}", "reference_years: {from: -2000000000, to: 2000000000}",
            "lint.reference-years"
        ),
    ])
    func holesAreClosed(_ from: String, _ to: String, _ rule: String) {
        let yaml = shipped.replacingOccurrences(of: from, with: to)
        #expect(yaml != shipped)
        let findings = lint(yaml)
        #expect(findings.contains { $0.ruleID == rule && $0.severity == .error }, "\(findings.map(\.message))")
    }

    /// Two files defining UN-CTS/2024.1: the alphabetically first silently won.
    @Test func twoFilesDefiningOneQuestionnaireStopTheCommand() throws {
        let dir = TemporaryDirectory()
        dir.write("a.yaml", shipped)
        dir.write("b.yaml", shipped)
        let lint = runCTS(["questionnaire", "lint", dir.path])
        #expect(lint.status == 1)
        #expect(lint.out.contains("UN-CTS/2024.1 is defined by 2 files"), "\(lint.out)")
        let validate = runCTS(["validate", Repo.path("submissions/KEN-2020.csv"), "--questionnaires", dir.path])
        #expect(validate.status == 2)
        #expect(validate.err.contains("UN-CTS/2024.1 is defined by 2 files"), "\(validate.err)")
    }
}

/// Files that never end.
@Suite(.timeLimit(.minutes(1))) struct DeviceFileTests {
    /// A questionnaire linked to /dev/zero aborted at 2 GB; a /dev/zero link among the returns hung run.
    @Test func devicesArePassedOverWithTheirReason() throws {
        let dir = TemporaryDirectory()
        let questionnaires = dir.path + "/questionnaires"
        try FileManager.default.createDirectory(atPath: questionnaires, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: questionnaires + "/zero.yaml", withDestinationPath: "/dev/zero")
        let validate = runCTS([
            "validate", Repo.path("submissions/KEN-2020.csv"), "--questionnaires", questionnaires + "/zero.yaml",
        ])
        #expect(validate.status == 2)
        #expect(validate.err.contains("not a regular file"), "\(validate.err)")

        let submissions = dir.folder("submissions", ["KEN.csv": returnCSV(ReturnFixture.requiredRows())])
        try FileManager.default.createSymbolicLink(atPath: submissions + "/ZERO.csv", withDestinationPath: "/dev/zero")
        let output = dir.path + "/outputs"
        let run = runCTS([
            "run", "--submissions", submissions, "--output", output, "--db", output + "/cts.sqlite", "--quiet",
        ])
        #expect(run.err.contains("ZERO.csv: not a regular file"), "\(run.err)")
        #expect(run.out.contains("1 stored"), "\(run.out)")
        // Named on the command line, it is refused at once.
        let direct = runCTS(["validate", submissions + "/ZERO.csv"])
        #expect(direct.status == 2 && direct.err.contains("not a regular file"), "\(direct.err)")
    }
}

/// An aggregation's outputs are replaced as a set.
@Suite struct OutputSetTests {
    func listing(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    }

    @Test func aFailedAggregationLeavesThePreviousOutputsWholeAndAShorterOneLeavesNothingStale() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let output = dir.path + "/outputs"
        let first = dir.write("a.csv", returnCSV(ReturnFixture.requiredRows()))
        #expect(runCTS(["ingest", first, "--db", db, "--received-at", "2026-01-10"]).status == 0)
        let prisoners = dir.write(
            "b.csv", returnCSV([["KEN", "2020", "prisoners", "total", "_T", "_T", "", "100", "", ""]]))
        #expect(runCTS(["ingest", prisoners, "--db", db, "--received-at", "2026-02-10", "--allow-errors"]).status == 0)
        #expect(runCTS(["aggregate", "--db", db, "--output", output]).status == 0)
        let full = listing(output)
        #expect(full.contains("trends/prisoners.csv"), "\(full)")

        // As of before the prisoners' return: fewer series, and nothing of the longer run stays behind.
        #expect(runCTS(["aggregate", "--db", db, "--output", output, "--as-of", "2026-01-31"]).status == 0)
        let shorter = listing(output)
        #expect(!shorter.contains("trends/prisoners.csv"))
        #expect(!shorter.contains { $0.hasPrefix("charts/prisoners") })
        let trends = try String(contentsOfFile: output + "/trends.csv", encoding: .utf8)

        // A series whose indicator cannot name a file makes the next aggregation fail half-way: the
        // outputs stay as they were, and no staging folder is left.
        let store = try Store(path: db)
        try store.db.run(
            "INSERT INTO series (indicator, series, iccs, iccs_level, breakdown) VALUES ('../escaped', 'x.y', NULL, NULL, '')"
        )
        try store.db.run(
            """
            INSERT INTO observation (cell_id, series_id, place_id, value, status)
            SELECT 1, (SELECT max(id) FROM series), place_id, 5, 'A' FROM observation WHERE cell_id = 1 LIMIT 1
            """)
        let failed = runCTS(["aggregate", "--db", db, "--output", output, "--as-of", "2026-01-31"])
        #expect(failed.status == 2, "\(failed.err)")
        #expect(listing(output) == shorter)
        #expect(try String(contentsOfFile: output + "/trends.csv", encoding: .utf8) == trends)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/escaped.csv"))
    }
}

/// A return with thousands of faults of one kind.
@Suite struct FindingFloodTests {
    /// A million duplicate rows printed a million findings: the terminal shows a few of each rule and
    /// counts the rest, and --report still lists every one.
    @Test func theTerminalShowsAFewOfEachRuleAndCountsTheRest() throws {
        let dir = TemporaryDirectory()
        let rows = ReturnFixture.requiredRows() + Array(repeating: ReturnFixture.requiredRows()[3], count: 500)
        let file = dir.write("dup.csv", returnCSV(rows))
        let report = dir.path + "/findings.json"
        let result = runCTS(["validate", file, "--report", report])
        #expect(result.status == 1)
        let shown = result.out.components(separatedBy: "cell.duplicate").count - 1
        #expect(shown > 0 && shown <= TerminalReport.perRule + 1, "\(shown) shown")
        #expect(result.out.contains("more cell.duplicate findings in this table"), "\(result.out.suffix(600))")
        let json = try String(contentsOfFile: report, encoding: .utf8)
        #expect(json.components(separatedBy: "\"cell.duplicate\"").count - 1 >= 500)
    }
}
