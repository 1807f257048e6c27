import CTSCore
import CTSIO
import CTSStore
import Foundation
import Testing

/// The whole pipeline on the shipped sample returns, and the invariants its tables must keep.
@Suite(.serialized) struct RunCommandTests {
    /// Runs `cts run` once into a temporary folder and keeps the result for all tests of the suite.
    final class Pipeline: @unchecked Sendable {
        let dir = TemporaryDirectory()
        let result: (status: Int32, out: String, err: String)
        init() {
            result = runCTS([
                "run", "--submissions", Repo.path("submissions"), "--questionnaires", Repo.path("questionnaires"),
                "--reference", Repo.path("reference"), "--db", dir.path + "/cts.sqlite", "--output", dir.path,
            ])
        }
        static let shared = Pipeline()
    }

    var pipeline: Pipeline { Pipeline.shared }

    @Test func runsTheWholeJobAndSummarises() throws {
        let r = pipeline.result
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("(lint clean)"))
        #expect(r.out.contains("4 rejected"))
        #expect(r.out.contains("rejected") && r.out.contains("MAR-2020.csv"))
        for file in [
            "trends.csv", "trends/victims.csv", "trends/offences_recorded.csv", "trends_metadata.json",
            "charts/victims_ICCS0101.svg", "observations.csv", "observations.sdmx.csv",
        ] {
            #expect(FileManager.default.fileExists(atPath: pipeline.dir.path + "/" + file), "\(file)")
        }
        let meta =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: pipeline.dir.path + "/trends_metadata.json")))
            as! [String: Any]
        #expect((meta["inputs"] as! [Any]).count == 117)
        #expect((meta["options"] as! [String: Any])["coverage_threshold"] as? Double == 2.0 / 3.0)
        #expect((meta["reference"] as! [[String: String]]).count == ReferenceData.files.count)
        let svg = try String(contentsOfFile: pipeline.dir.path + "/charts/victims_ICCS0101.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("polyline") && svg.contains(">Americas<"))
    }

    @Test func aSecondRunChangesNoOutput() throws {
        let files = ["trends.csv", "trends_metadata.json", "charts/victims_ICCS0101.svg", "observations.sdmx.csv"]
        let before = try files.map { try String(contentsOfFile: pipeline.dir.path + "/" + $0, encoding: .utf8) }
        let again = runCTS([
            "run", "--submissions", Repo.path("submissions"), "--questionnaires", Repo.path("questionnaires"),
            "--reference", Repo.path("reference"), "--db", pipeline.dir.path + "/cts.sqlite", "--output",
            pipeline.dir.path,
        ])
        #expect(again.out.contains("0 stored, 117 already stored"))
        let after = try files.map { try String(contentsOfFile: pipeline.dir.path + "/" + $0, encoding: .utf8) }
        #expect(before == after)
    }

    @Test func tablesAddUpOnTheRealSample() throws {
        let store = try Store(path: pipeline.dir.path + "/cts.sqlite")
        let reference = Repo.reference
        let observations = try store.observations()
        let rows = Aggregator(countries: reference.countries.countries, population: reference.population)
            .rows(observations + Composites.derive(observations, units: reference.countries.reportingUnits))
        #expect(rows.count > 5000)
        let subregionOf = Dictionary(
            reference.countries.countries.map { ($0.subregion.code, $0.region.code) }, uniquingKeysWith: { a, _ in a })
        let bySeriesYear = Dictionary(grouping: rows) { "\($0.indicator)|\($0.series)|\($0.breakdown)|\($0.year)" }
        var checked = 0
        for (_, group) in bySeriesYear {
            let world = group.first { $0.group == .world }!.computedTotal
            let regions = group.filter { $0.group == .region }
            #expect(abs(world - regions.reduce(0) { $0 + $1.computedTotal }) <= 1e-6 * max(1, world))
            for region in regions {
                let parts = group.filter { $0.group == .subregion && subregionOf[$0.groupCode] == region.groupCode }
                #expect(abs(region.computedTotal - parts.reduce(0) { $0 + $1.computedTotal }) <= 1e-6 * max(1, world))
            }
            checked += 1
        }
        #expect(checked > 100)
        // An ICCS parent is at least the sum of its children, in every group and year.
        let table = Repo.questionnaire.table("police_offences")!
        let children = ICCSCode.nearestChildren(table.variables.compactMap { v in v.iccs.map { (id: v.id, code: $0) } })
        let police = Dictionary(grouping: rows.filter { $0.series.hasPrefix("police_offences.") }) {
            "\($0.groupCode)|\($0.year)"
        }
        for (_, group) in police {
            for (parent, kids) in children {
                guard let p = group.first(where: { $0.series == "police_offences.\(parent)" }) else { continue }
                let sum = kids.compactMap { kid in group.first { $0.series == "police_offences.\(kid)" }?.computedTotal
                }
                .reduce(0, +)
                #expect(p.computedTotal >= sum - 1e-6 * max(1, sum), "\(p.groupName) \(p.year) \(parent)")
            }
        }
    }
}
