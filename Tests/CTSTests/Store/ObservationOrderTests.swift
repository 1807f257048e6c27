import CTSCore
import CTSIO
import Foundation
import Testing

@testable import CTSStore

/// The store orders observations in memory. The specification is SQL: the same columns under `ORDER BY`,
/// national categories of one reporter, series and year added up.
@Suite struct ObservationOrderTests {
    static let orderBy: [Store.ObservationOrder: String] = [
        .byReporter: "o.reporter, o.indicator, o.series, o.iccs, o.year, o.breakdown, o.national_code",
        .byFamily: """
        o.indicator, CASE WHEN instr(o.series, '.') > 0 THEN substr(o.series, 1, instr(o.series, '.') - 1)
        ELSE o.series END, o.breakdown, o.series, o.iccs, o.reporter, o.year, o.national_code
        """,
    ]

    /// What SQL gives: one line per observation, national categories of one reporter, series and year
    /// merged (values added, codes joined, E when any part is E).
    static func expected(_ store: Store, order: Store.ObservationOrder, asOf: String?) throws -> [String] {
        let valid =
            asOf.map { "o.valid_from <= '\($0)' AND (o.valid_to IS NULL OR o.valid_to > '\($0)')" }
            ?? "o.valid_to IS NULL"
        let rows = try store.db.rows(
            """
            SELECT o.reporter, o.year, o.indicator, o.series, coalesce(o.iccs, ''), o.breakdown, o.value,
                o.status, o.national_code, o.submission_id
            FROM observation_detail o WHERE \(valid) ORDER BY \(orderBy[order]!)
            """)
        var lines: [(key: String, value: Double?, codes: String?, status: String, submission: Int)] = []
        for r in rows {
            let key = (0..<6).map { r[$0].string ?? r[$0].int.map(String.init) ?? "" }.joined(separator: "|")
            let (code, status) = (r[8].string, r[7].string ?? "")
            if let code, let last = lines.last, last.key == key, let codes = last.codes {
                lines[lines.count - 1].value = last.value.flatMap { a in r[6].double.map { a + $0 } }
                lines[lines.count - 1].codes = codes + "+" + code
                if status == "E" || last.status == "E" {
                    lines[lines.count - 1].status = "E"
                } else if last.status == "A" {
                    lines[lines.count - 1].status = status
                }
            } else {
                lines.append((key, r[6].double, code, status, r[9].int ?? 0))
            }
        }
        return lines.map {
            "\($0.key)|\($0.value.map { String($0) } ?? "-")|\($0.codes ?? "")|\($0.status)|\($0.submission)"
        }
    }

    static func line(_ o: Observation) -> String {
        let key = [o.reporter, String(o.year), o.indicator, o.series, o.iccs?.rawValue ?? "", o.breakdown]
        return key.joined(separator: "|")
            + "|\(o.value.map { String($0) } ?? "-")|\(o.nationalCode ?? "")|\(o.status.rawValue)|\(o.submission ?? 0)"
    }

    @Test func inMemoryOrderIsTheOrderSQLGives() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/cts.sqlite"
        let workspace = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
        let samples = try Repo.sampleReturns(every: 12)
        let first = runCTS(["ingest"] + samples + workspace + ["--db", path, "-q", "--received-at", "2026-01-01"])
        #expect(first.status <= 1)
        // National categories, two of them mapped to one ICCS code, and a later revision of one figure.
        let table = dir.write(
            "tc.csv",
            "national_code,national_label,iccs,relation,share\n101,Homicidio,0101,exact,\n102,Parricidio,0101,exact,\n"
                + "440,Robo,0401,partial,0.5\n440,Robo,020111,partial,0.5\n")
        var rows =
            ReturnFixture.requiredRows() + [
                ["KEN", "2020", "national_offences", "101", "", "", "", "40", "", ""],
                ["KEN", "2020", "national_offences", "102", "", "", "", "2", "", ""],
                ["KEN", "2020", "national_offences", "440", "", "", "", "30", "E", ""],
            ]
        let national = dir.write("national.csv", returnCSV(rows))
        let second = runCTS(
            ["ingest", national, "--correspondence", table, "--db", path, "--received-at", "2026-02-01"] + workspace)
        #expect(second.status == 0, "\(second.err)")
        rows[1][7] = "11"
        let revised = dir.write("revised.csv", returnCSV(rows))
        let third = runCTS(
            ["ingest", revised, "--correspondence", table, "--db", path, "--received-at", "2026-03-01"] + workspace)
        #expect(third.status == 0, "\(third.err)")

        let store = try Store(path: path)
        for order in [Store.ObservationOrder.byReporter, .byFamily] {
            for asOf in [nil, "2026-02-15T00:00:00Z"] {
                var got: [String] = []
                try store.forEachObservation(asOf: asOf, order: order) { got.append(Self.line($0)) }
                let want = try Self.expected(store, order: order, asOf: asOf)
                #expect(got.count > 300)
                let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                #expect(
                    got.count == want.count && first == nil,
                    "\(order) as of \(asOf ?? "now"): \(first.map { "\(got[$0]) against \(want[$0])" } ?? "lengths")")
            }
        }
        #expect(try store.observations().contains { $0.nationalCode == "101+102" && $0.value == 42 })

        // Family order is kept as positions. Both ways were taken: most series came in order as stored, and
        // those revised later had to be sorted.
        var whole = try ObservationTable(db: store.db, asOf: nil)
        whole.sort(.byFamily)
        whole._checkInvariants()
        #expect(whole.order.count == whole.rows.count)
        var bySeries: [UInt32: [UInt32]] = [:]
        for p in whole.order { bySeries[whole.rows[Int(p)].series, default: []].append(p) }
        let kept = bySeries.values.filter { zip($0, $0.dropFirst()).allSatisfy { $0 < $1 } }.count
        #expect(kept > 0 && kept < bySeries.count, "\(kept) of \(bySeries.count) series kept")
        // Sorted again, by reporter after family, the table leaves the kept order behind.
        var again = try ObservationTable(db: store.db, asOf: nil)
        again.sort(.byFamily)
        again.sort(.byReporter)
        again._checkInvariants()
        var lines: [String] = []
        again.forEachObservation { o, _ in lines.append(Self.line(o)) }
        #expect(lines == (try Self.expected(store, order: .byReporter, asOf: nil)))

    }
}
