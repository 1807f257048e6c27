import CTSCore
import Foundation
import Testing

/// What users see: HTML reports, the index, machine-readable output, help, completions, man pages.
@Suite struct UserFacingTests {
    let workspace = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]

    @Test func feedbackReportHighlightsTheOffendingCellsAndStandsAlone() throws {
        let dir = TemporaryDirectory()
        let result = runCTS(
            ["report", Repo.path("submissions/FIN-2020.csv"), "--output", dir.path, "--db", dir.path + "/none.sqlite"]
                + workspace)
        #expect(result.status == 0, "\(result.err)")
        let html = try String(contentsOfFile: dir.path + "/FIN-2020.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Not accepted: 3 errors"))
        // The placeholder ".." in serious assault 2014 is outlined as an error with its message.
        #expect(html.contains("<td class=\"error\" title=\"&quot;..&quot; is a placeholder"))
        #expect(html.contains("020111 Serious assault"))
        #expect(html.contains("<svg class=\"spark\""))
        #expect(html.contains("line 46, column 8 (value)"))
        // Self-contained: no scripts, stylesheets, images or fonts fetched from anywhere.
        for outside in ["<script", "<link", "src=\"http", "url(http", "@import"] {
            #expect(!html.contains(outside), "\(outside)")
        }
        #expect(html.contains("@media print"))
        // The store is not created by a report.
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/none.sqlite"))
    }

    @Test func runWritesAnIndexWithCoverageHeatMapAndReports() throws {
        let dir = TemporaryDirectory()
        let files = ["KEN-2020.csv", "DEU-2020.csv", "FIN-2020.csv"]
        let submissions = dir.path + "/in"
        try FileManager.default.createDirectory(atPath: submissions, withIntermediateDirectories: true)
        for f in files {
            try FileManager.default.copyItem(atPath: Repo.path("submissions/" + f), toPath: submissions + "/" + f)
        }
        let result = runCTS(
            ["run", "--submissions", submissions, "--db", dir.path + "/cts.sqlite", "--output", dir.path] + workspace)
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("Start at \(dir.path)/index.html"))
        let index = try String(contentsOfFile: dir.path + "/index.html", encoding: .utf8)
        #expect(index.contains("<table class=\"heat\">"))
        #expect(index.contains("href=\"reports/FIN-2020.html\""))
        #expect(index.contains("<img src=\"charts/victims_ICCS0101.svg\""))
        #expect(index.contains("href=\"trends/victims.csv\""))
        for f in files {
            #expect(
                FileManager.default.fileExists(
                    atPath: dir.path + "/reports/" + f.replacingOccurrences(of: ".csv", with: ".html")))
        }
        #expect(!result.err.contains("\r"), "no progress bar when output is not a terminal")
    }

    @Test func machineReadableOutput() throws {
        let dir = TemporaryDirectory()
        let db = ["--db", dir.path + "/cts.sqlite"]
        let validate = runCTS(["validate", Repo.path("submissions/COL-2020.csv"), "--format", "json"] + workspace)
        #expect(validate.status == 1)
        let v = try JSONSerialization.jsonObject(with: Data(validate.out.utf8)) as! [String: Any]
        #expect(((v["returns"] as! [[String: Any]])[0]["errors"] as? Int) == 2)
        let ingest = runCTS(["ingest", Repo.path("submissions/KEN-2020.csv"), "--format", "json"] + workspace + db)
        let ingested = try JSONSerialization.jsonObject(with: Data(ingest.out.utf8)) as! [String: Any]
        #expect(ingested["command"] as? String == "ingest" && ingested["stored"] as? Int == 1)
        let i = ingested["returns"] as! [[String: Any]]
        #expect(i[0]["outcome"] as? String == "stored" && (i[0]["changes"] as! [String: Any])["added"] as? Int == 145)
        let history = runCTS(["history", "KEN", "--year", "2019", "--format", "json"] + db)
        let listed = try JSONSerialization.jsonObject(with: Data(history.out.utf8)) as! [String: Any]
        let h = listed["vintages"] as! [[String: Any]]
        #expect(listed["reporter"] as? String == "KEN")
        #expect(h.count > 10 && h.allSatisfy { $0["year"] as? Int == 2019 })
    }

    @Test func everyCommandHasExamplesAndShellCompletionsWork() {
        for command in [
            ["validate"], ["ingest"], ["history"], ["export"], ["aggregate"], ["run"], ["report"],
            ["questionnaire"], ["questionnaire", "lint"], ["reference"], ["reference", "update"], [],
        ] {
            let help = runCTS(command + ["--help"])
            #expect(help.status == 0 && help.out.contains("Examples:"), "cts \(command.joined(separator: " "))")
        }
        for shell in ["bash", "zsh", "fish"] {
            let script = runCTS(["--generate-completion-script", shell])
            #expect(script.status == 0 && script.out.contains("validate") && script.out.contains("ingest"), "\(shell)")
        }
    }

    @Test func manPagesDocumentEveryCommandAndOption() throws {
        for command in [
            ["validate"], ["ingest"], ["history"], ["export"], ["aggregate"], ["run"], ["report"],
            ["questionnaire", "lint"], ["reference", "update"],
        ] {
            let page = Repo.path("docs/man/cts.\(command.joined(separator: ".")).1")
            let text = try String(contentsOfFile: page, encoding: .utf8)
            let help = runCTS(command + ["--help"]).out
            // Every long option the command has is in its page (scripts/make_man_pages.sh regenerates them).
            let options = help.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "[" || $0 == "]" })
                .filter { $0.hasPrefix("--") && $0.count > 2 }.map { String($0.dropFirst(2)) }
            for option in Set(options) where option != "help" {
                #expect(text.contains(option), "\(page) lacks --\(option)")
            }
        }
    }

    @Test(
        .enabled(
            if: ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains {
                FileManager.default.isExecutableFile(atPath: $0)
            }))
    func reportRendersInARealBrowser() throws {
        let dir = TemporaryDirectory()
        #expect(
            runCTS(["report", Repo.path("submissions/FIN-2020.csv"), "--output", dir.path] + workspace).status == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [
            Repo.path("scripts/screenshot.sh"), dir.path + "/FIN-2020.html", dir.path + "/FIN.png", "1000", "1200",
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/FIN.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "a blank page compresses far smaller")
    }
}
