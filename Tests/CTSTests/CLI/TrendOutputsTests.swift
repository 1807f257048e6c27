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
}
