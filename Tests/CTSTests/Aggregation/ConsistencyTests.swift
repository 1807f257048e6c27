import CTSCLI
import CTSCore
import CTSIO
import Foundation
import Testing

/// A small deterministic random number generator (SplitMix64), so a generated history is the same on
/// every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What every published table must hold, checked over all rows: the parts of a total add up to it, and
/// an ICCS parent is at least the sum of its children, at every breakdown.
enum TableInvariants {
    struct Key: Hashable {
        var group: String
        var series: String
        var iccs: String
        var year: Int
        var breakdown: [String]
    }

    /// A text for each row that breaks an invariant (empty when none does); `slack` is what rounding may
    /// add per figure (0.5 for whole numbers read back from a CSV).
    static func problems(
        _ rows: [(key: Key, indicator: String, total: Double?)], tree: BreakdownTree, slack: Double
    ) -> [String] {
        var byKey: [Key: Double?] = [:]
        for r in rows { byKey[r.key] = r.total }
        var problems: [String] = []
        for r in rows {
            guard let up = tree.parent(of: r.key.breakdown) else { continue }
            var parentKey = r.key
            parentKey.breakdown = up.parent
            guard up.parts[0] == r.key.breakdown, let parentEntry = byKey[parentKey] else { continue }
            let siblings = up.parts.map { codes -> Double?? in
                var k = r.key
                k.breakdown = codes
                return byKey[k]
            }
            let published = siblings.map { $0 ?? nil }
            // Parts are published together.
            if published.contains(where: { $0 != nil }) && published.contains(where: { $0 == nil }) {
                problems.append("\(r.key): only some parts are published")
            }
            guard let total = parentEntry, published.allSatisfy({ $0 != nil }) else { continue }
            let sum = published.reduce(0) { $0 + $1! }
            if abs(sum - total) > slack * Double(published.count + 1) + 1e-9 * abs(total) {
                problems.append("\(r.key): parts \(sum) against total \(total)")
            }
        }
        // ICCS: parents of one table, breakdown, group and year.
        var byTable: [String: [(code: ICCSCode, total: Double)]] = [:]
        for r in rows {
            guard let total = r.total, let code = ICCSCode(r.key.iccs) else { continue }
            let table = r.key.series.split(separator: ".").first.map(String.init) ?? r.key.series
            byTable["\(r.key.group)|\(r.indicator)|\(table)|\(r.key.year)|\(r.key.breakdown)", default: []].append(
                (code, total))
        }
        for (where_, figures) in byTable {
            let children = ICCSCode.nearestChildren(figures.indices.map { (id: $0, code: figures[$0].code) })
            for (parent, kids) in children {
                let sum = kids.reduce(0) { $0 + figures[$1].total }
                if sum > figures[parent].total + slack * Double(kids.count + 1) + 1e-9 * sum {
                    problems.append("\(where_): \(figures[parent].code.rawValue) \(figures[parent].total) < children \(sum)")
                }
            }
        }
        return problems
    }

    static func problems(_ rows: [AggregateRow], tree: BreakdownTree) -> [String] {
        problems(
            rows.map { r in
                (
                    Key(
                        group: r.groupCode, series: r.series, iccs: r.iccs?.rawValue ?? "", year: r.year,
                        breakdown: tree.codes(r.breakdown)), r.indicator, r.total
                )
            }, tree: tree, slack: 0)
    }
}

@Suite struct ConsistencyTests {
    let q = Repo.questionnaire
    var tree: BreakdownTree { BreakdownTree(codeLists: q.codeLists) }

    /// A generated history of 40 countries over 12 years: victims by sex with gaps, parts missing, parts
    /// above their total, K and M statuses, and an ICCS parent with two children. Every group-year holds
    /// both invariants.
    @Test func everyGroupYearOfAGeneratedHistoryAddsUp() {
        var random = SeededRandom(state: 2026)
        let countries = Array(Repo.reference.countries.countries.filter { !$0.subregion.code.isEmpty }.prefix(40))
        var observations: [Observation] = []
        let variables: [(series: String, iccs: String, scale: Double)] = [
            ("homicide_relationship.partner_or_family", "010121", 1),
            ("homicide_relationship.intimate_partner", "0101211", 0.5),
            ("homicide_relationship.family_member", "0101212", 0.4),
        ]
        for c in countries {
            let base = Double.random(in: 20...2000, using: &random)
            for year in 2010...2021 where Double.random(in: 0...1, using: &random) < 0.7 {
                for v in variables {
                    let total = (base * v.scale * Double.random(in: 0.8...1.2, using: &random)).rounded()
                    let male = (total * Double.random(in: 0.5...0.9, using: &random)).rounded()
                    var parts: [(String, Double?, ObservationStatus)] = [
                        ("_T", total, .normal), ("M", male, .normal), ("F", total - male, .normal), ("_U", 0, .normal),
                    ]
                    switch Int.random(in: 0..<6, using: &random) {
                    case 0: parts.removeFirst()  // the total not given
                    case 1: parts.remove(at: 2)  // female missing
                    case 2: parts[3] = ("_U", nil, .includedElsewhere)
                    case 3: parts[1].1 = male * 1.5  // parts above the total
                    case 4: parts = [("_T", total, .normal)]  // no breakdown
                    default: break
                    }
                    for (sex, value, status) in parts {
                        observations.append(
                            Observation(
                                reporter: c.iso3, iso3: c.iso3, m49: c.m49, year: year, indicator: "victims",
                                series: v.series, iccs: ICCSCode(v.iccs), breakdown: "sex=\(sex)", value: value,
                                status: status))
                    }
                }
            }
        }
        let aggregator = Aggregator(
            countries: countries, population: Repo.reference.population, breakdowns: tree)
        let rows = aggregator.rows(observations)
        #expect(rows.filter { $0.publication == .published }.count > 500)
        let problems = TableInvariants.problems(rows, tree: tree)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        // Every published figure lies within its bounds.
        let outside = rows.filter { r in
            guard let t = r.total, let low = r.totalLow, let high = r.totalHigh else { return r.total != nil }
            return low > t * (1 + 1e-6) || high < t * (1 - 1e-6)
        }
        #expect(outside.isEmpty, "\(outside.prefix(3).map { ($0.total, $0.totalLow, $0.totalHigh) })")
        // Without the code lists each breakdown stands alone, and the generated parts do not add up.
        let alone = Aggregator(countries: countries, population: Repo.reference.population).rows(observations)
        #expect(!TableInvariants.problems(alone, tree: tree).isEmpty)
    }

    /// The worked example of docs/METHODOLOGY.md ("Parts of a total"), in sub-region S2 = {CCC}.
    @Test func theWorkedExampleOfTheMethodology() {
        let world = SmallWorld()
        func obs(_ year: Int, _ sex: String, _ value: Double) -> Observation {
            Observation(
                reporter: "CCC", iso3: "CCC", m49: "", year: year, indicator: "victims",
                series: "homicide_victims.homicide", iccs: ICCSCode("0101"), breakdown: "sex=\(sex)", value: value,
                status: .normal)
        }
        let aggregator = Aggregator(countries: world.countries, population: world.population, breakdowns: tree)
        func s2(_ data: [Observation], _ sex: String) -> Double? {
            aggregator.rows(data).first { $0.groupCode == "S2" && $0.year == 2019 && $0.breakdown == "sex=\(sex)" }?
                .computedTotal
        }
        let data = [obs(2018, "F", 22), obs(2018, "_U", 2), obs(2020, "F", 26), obs(2019, "_T", 100), obs(2019, "M", 70)]
        #expect(near(s2(data, "F"), 30 * 24 / 26) && near(s2(data, "_U"), 30 * 2 / 26) && near(s2(data, "M"), 70))
        #expect(String(format: "%.1f %.1f", s2(data, "F")!, s2(data, "_U")!) == "27.7 2.3")
        let above = data.dropLast() + [obs(2019, "M", 110)]
        #expect(near(s2(Array(above), "M"), 100) && near(s2(Array(above), "F"), 0) && near(s2(Array(above), "_U"), 0))
        let female = data + [obs(2019, "F", 25)]
        #expect(near(s2(female, "_U"), 5))
        let row = aggregator.rows(female).first { $0.groupCode == "S2" && $0.year == 2019 && $0.breakdown == "sex=_U" }
        #expect(row?.reporting == 1)
    }

    /// The sample run: every published row of trends.csv holds both invariants, and every row of a series
    /// has the same base year, the first in which the world is published.
    @Test func theSampleRunAddsUpAndHasOneBaseYearPerSeries() throws {
        let dir = TemporaryDirectory()
        let run = runCTS([
            "run", "--submissions", Repo.path("submissions"), "--questionnaires", Repo.path("questionnaires"),
            "--reference", Repo.path("reference"), "--output", dir.path + "/out", "--db", dir.path + "/cts.sqlite",
            "-q",
        ])
        #expect(run.status == 1 || run.status == 0, "\(run.err)")
        let table = try CSVTable.read(path: dir.path + "/out/trends.csv", required: ["base_year"])
        func column(_ name: String) -> Int { table.header.firstIndex(of: name)! }
        let records = table.records.map(\.fields)
        let rows = records.map { r in
            (
                key: TableInvariants.Key(
                    group: r[column("group_code")], series: r[column("series")], iccs: r[column("iccs")],
                    year: Int(r[column("year")])!,
                    breakdown: ["sex", "age", "citizenship"].map { r[column($0)] }),
                indicator: r[column("indicator")], total: Double(r[column("total")])
            )
        }
        #expect(rows.count { $0.total != nil } > 1500)
        let problems = TableInvariants.problems(rows, tree: tree, slack: 0.5)
        #expect(problems.isEmpty, "\(problems.prefix(5))")

        var bases: [String: Set<String>] = [:]
        var worldFirst: [String: Int] = [:]
        for r in records {
            let series = r[column("series")] + "|" + r[column("iccs")] + "|" + r[column("sex")] + r[column("age")]
                + r[column("citizenship")]
            bases[series, default: []].insert(r[column("base_year")])
            if r[column("group_type")] == "world", !r[column("total")].isEmpty {
                worldFirst[series] = min(worldFirst[series] ?? 9999, Int(r[column("year")])!)
            }
        }
        #expect(bases.values.allSatisfy { $0.count == 1 }, "\(bases.filter { $0.value.count > 1 }.prefix(3))")
        for (series, first) in worldFirst { #expect(bases[series] == ["\(first)"], "\(series)") }
    }
}
