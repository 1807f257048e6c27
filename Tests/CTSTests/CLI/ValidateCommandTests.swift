import CTSCore
import Foundation
import Testing

/// End-to-end: the `cts` command run in process on real files.
@Suite struct ValidateCommandTests {
    let workspace = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]

    @Test func shippedSampleReturnValidates() {
        let result = runCTS(["validate", Repo.path("submissions/KEN-2020.csv")] + workspace)
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("KEN-2020.csv"))
        #expect(result.out.contains("PASS"))
        #expect(!result.out.contains("\u{1B}["), "no colour when not on a terminal")
    }

    @Test func sampleReturnsCoverTheRegionsAndShowMistakes() {
        let result = runCTS(["validate", Repo.path("submissions"), "-q"] + workspace)
        #expect(result.status == 1)
        let lines = result.out.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }.count >= 30)
        #expect(lines.filter { $0.hasPrefix("FAIL") }.count >= 3)
        #expect(result.out.contains("Checked"))
    }

    @Test func badReturnGivesLocatedFindingsAndExitOne() throws {
        let dir = TemporaryDirectory()
        var rows = ReturnFixture.requiredRows()
        rows[3][7] = "\"1,234\""
        rows[4][0] = "KOS"
        let file = dir.write("bad.csv", returnCSV(rows))
        let result = runCTS(["validate", file] + workspace)
        #expect(result.status == 1)
        #expect(result.out.contains("bad.csv:5:8  error  value.thousands-separator"))
        #expect(result.out.contains("KEN 2020 police_offences.robbery"))
        #expect(result.out.contains("bad.csv:6:1  error  country.unknown"))
        #expect(result.out.contains("Write XKX"))
        #expect(result.out.contains("FAIL"))
    }

    @Test func reportFilesHoldEveryFindingIncludingSkipped() throws {
        let dir = TemporaryDirectory()
        var rows = ReturnFixture.requiredRows()
        rows[6][7] = ""
        rows[6][8] = "L"
        rows.append(["KEN", "2020", "homicide_victims", "homicide", "M", "", "", "=1+1", "", ""])
        let file = dir.write("r.csv", returnCSV(rows))
        let json = dir.path + "/findings.json"
        let csv = dir.path + "/findings.csv"
        #expect(runCTS(["validate", file, "--report", json] + workspace).status == 1)
        #expect(runCTS(["validate", file, "--report", csv] + workspace).status == 1)

        let object =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        let returns = object["returns"] as! [[String: Any]]
        let findings = returns[0]["findings"] as! [[String: Any]]
        #expect(
            findings.contains {
                $0["kind"] as? String == "skipped" && $0["rule"] as? String == "convicted-above-suspected"
            })
        let notANumber = findings.first { $0["rule"] as? String == "value.not-a-number" }
        #expect(notANumber?["line"] as? Int == 10)
        #expect((notANumber?["cell"] as? [String: Any])?["breakdown"] as? [String: String] == ["sex": "M"])

        let text = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(text.hasPrefix("file,line,column,column_name,cell_reference,severity,kind,rule"))
        #expect(text.contains(",skipped,convicted-above-suspected,"))
        // A message quoting a formula-like value must not start a cell with "=".
        #expect(!text.contains(",=1+1"))
        // Same input, same bytes.
        #expect(runCTS(["validate", file, "--report", csv] + workspace).status == 1)
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == text)
    }

    @Test func windows1252ReturnNeedsTheEncodingOption() {
        let dir = TemporaryDirectory()
        var rows = ReturnFixture.requiredRows()
        rows[0][9] = "Ministère"
        let text = returnCSV(rows)
        let bytes = text.unicodeScalars.map { UInt8($0.value) }
        let file = dir.write("cp.csv", bytes: bytes)
        let plain = runCTS(["validate", file] + workspace)
        #expect(plain.status == 1)
        #expect(plain.out.contains("--encoding windows-1252"))
        #expect(runCTS(["validate", file, "--encoding", "windows-1252"] + workspace).status == 0)
    }

    @Test func usageAndUnreadableInputExitTwo() {
        #expect(runCTS(["validate", "/nonexistent/x.csv"] + workspace).status == 2)
        #expect(runCTS(["validate"] + workspace).status == 2)
        #expect(
            runCTS(["validate", Repo.path("submissions/KEN-2020.csv"), "--encoding", "latin9"] + workspace).status == 2)
        #expect(runCTS(["frobnicate"]).status == 2)
        let help = runCTS(["validate", "--help"])
        #expect(help.status == 0 && help.out.contains("Examples"))
    }

    @Test func brokenQuestionnaireStopsWithExitTwo() throws {
        let dir = TemporaryDirectory()
        let shipped = try String(contentsOfFile: Repo.path("questionnaires/un-cts-2024.yaml"), encoding: .utf8)
        dir.write("q.yaml", shipped.replacingOccurrences(of: "iccs: \"0204\"", with: "iccs: \"0110\""))
        let result = runCTS([
            "validate", Repo.path("submissions/KEN-2020.csv"), "--questionnaires", dir.path,
            "--reference", Repo.path("reference"),
        ])
        #expect(result.status == 2)
        #expect(result.err.contains("q.yaml:"))
        #expect(result.err.contains("0110 is not a code of ICCS"))
    }

    @Test func questionnaireLint() throws {
        let ok = runCTS(["questionnaire", "lint", Repo.path("questionnaires"), "--reference", Repo.path("reference")])
        #expect(ok.status == 0, "\(ok.out)")
        #expect(ok.out.contains("OK"))
        let dir = TemporaryDirectory()
        let shipped = try String(contentsOfFile: Repo.path("questionnaires/un-cts-2024.yaml"), encoding: .utf8)
        let file = dir.write(
            "q.yaml",
            shipped.replacingOccurrences(of: "id: homicide, iccs", with: "id: homicide2, iccs")
                .replacingOccurrences(of: "0.3 * prev(this) or", with: "0.3 * prev(this) or or"))
        let bad = runCTS(["questionnaire", "lint", file, "--reference", Repo.path("reference")])
        #expect(bad.status == 1)
        #expect(bad.out.contains("expected a value but found the keyword \"or\""))
        #expect(bad.out.contains("FAIL"))
    }
}
