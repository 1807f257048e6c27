import CTSCLI
import Foundation
import Testing

/// What `cts aggregate` writes matches what it ran: the index links only files that are there, chart
/// titles use labels, and legends show only groups with data.
@Suite struct TrendOutputsTests {
    @Test func theIndexLinksOnlyWhatIsThereAndChartsUseLabels() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
        #expect(runCTS(["ingest", Repo.path("submissions"), "--db", db, "-q"] + w).status <= 1)
        let out = dir.path + "/agg"
        #expect(runCTS(["aggregate", "--db", db, "--output", out] + w).status == 0)
        let index = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(!index.contains("href=\"observations.csv\"") && index.contains("href=\"trends.csv\""))
        let chart = try String(contentsOfFile: out + "/charts/victims_ICCS0101.svg", encoding: .utf8)
        #expect(chart.contains("Victims of intentional homicide (ICCS 0101 Intentional homicide)"), "\(chart.prefix(600))")
        // The legend names the groups with a published year, and no other.
        let legend = chart.components(separatedBy: "<rect x=").count - 1
        let published = try String(contentsOfFile: out + "/trends/victims.csv", encoding: .utf8)
            .split(separator: "\n").filter { $0.contains(",homicide_victims.homicide,") && $0.contains(",published,") }
        let groups = Set(published.compactMap { line -> String? in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return f[0] == "world" || f[0] == "region" ? String(f[1]) : nil
        })
        #expect(legend == groups.count && !groups.isEmpty && groups.count < 6, "\(legend) legend entries for \(groups)")

        // Once an export is there (as `cts run` leaves it), the index links it.
        #expect(runCTS(["export", "--db", db, "--output", out] + w).status == 0)
        #expect(runCTS(["aggregate", "--db", db, "--output", out] + w).status == 0)
        #expect(try String(contentsOfFile: out + "/index.html", encoding: .utf8).contains("href=\"observations.csv\""))
    }

    /// datapackage.json describes every table in the folder, field for field in the order of its header,
    /// codes as strings (frictionless checks the data against it in CI: scripts/check_outputs.sh).
    @Test func theDataPackageDescribesEveryTableAsWritten() throws {
        let dir = TemporaryDirectory()
        let out = dir.path + "/out"
        let run = runCTS([
            "run", "--submissions", Repo.path("submissions"), "--questionnaires", Repo.path("questionnaires"),
            "--reference", Repo.path("reference"), "--output", out, "--db", dir.path + "/cts.sqlite", "-q",
        ])
        #expect(run.status == 0, "\(run.err)")
        let package =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/datapackage.json")))
            as! [String: Any]
        let resources = package["resources"] as! [[String: Any]]
        #expect(
            resources.map { $0["path"] as! String }.sorted()
                == [
                    "observations.csv", "observations.sdmx.csv", "trends.csv", "trends/offences_recorded.csv",
                    "trends/persons_convicted.csv", "trends/persons_suspected.csv", "trends/victims.csv",
                ])
        for resource in resources {
            let path = out + "/" + (resource["path"] as! String)
            let header = try String(contentsOfFile: path, encoding: .utf8).prefix { $0 != "\n" }
            let fields = (resource["schema"] as! [String: Any])["fields"] as! [[String: Any]]
            #expect(fields.map { $0["name"] as! String }.joined(separator: ",") == header, "\(path)")
            for field in fields where ["group_code", "iccs", "m49", "sex", "status"].contains(field["name"] as! String) {
                #expect(field["type"] as? String == "string", "\(path) \(field)")
            }
        }
    }
}
