import CTSCore
import Testing

@testable import CTSStore

/// The block writer numbers each figure's series, trying first the series that came next in the block
/// before. Whatever the order, a figure must get the series of its own texts: blocks that repeat the
/// order, drop a figure, add one, swap two, or change one text (ICCS code, breakdown, series, indicator)
/// at a place where the block before had another.
@Suite struct ObservationBlockWriterTests {
    static func observation(
        _ year: Int, _ series: String, _ iccs: String?, _ breakdown: String = "sex=_T", indicator: String = "victims"
    ) -> Observation {
        Observation(
            reporter: "KEN", iso3: "KEN", m49: "404", year: year, indicator: indicator, series: series,
            iccs: iccs.flatMap(ICCSCode.init), breakdown: breakdown, value: Double(year), status: .normal)
    }

    @Test func eachFigureGetsTheSeriesOfItsTexts() throws {
        let dir = TemporaryDirectory()
        let store = try Store(path: dir.path + "/cts.sqlite")
        try store.db.run(
            """
            INSERT INTO submission (file_name, sha256, reporters, questionnaire_id, questionnaire_version,
                received_at, outcome, errors, warnings, cells)
            VALUES ('a.csv', 'x', 'KEN', 'q', '1', '2026-01-01T00:00:00Z', 'accepted', 0, 0, 0)
            """)
        let base = [
            ("t.a", "0101", "sex=_T"), ("t.a", "0101", "sex=F"), ("t.b", "0401", "sex=_T"), ("t", "0401", "sex=_T"),
            ("t", "020111", "sex=_T"), ("t.c", nil, "sex=_T"),
        ]
        func year(_ y: Int, _ figures: [(String, String?, String)], indicator: String = "victims") -> [Observation] {
            figures.map { Self.observation(y, $0.0, $0.1, $0.2, indicator: indicator) }
        }
        var added: [Observation] = []
        added += year(2010, base)
        added += year(2011, base)  // the same order
        added += year(2012, Array(base.dropFirst(2)))  // two dropped at the front
        added += year(2013, [base[0], ("t.new", "0102", "sex=_T")] + base.dropFirst())  // one added
        added += year(2014, [base[1], base[0]] + base.dropFirst(2))  // two swapped
        added += year(2015, base.map { ($0.0, $0.0 == "t" ? "0501" : $0.1, $0.2) })  // another ICCS code
        added += year(2016, base.map { ($0.0, $0.1, $0.2 == "sex=F" ? "sex=M" : $0.2) })  // another breakdown
        added += year(2017, base.map { ($0.0 == "t.b" ? "t.d" : $0.0, $0.1, $0.2) })  // another series
        added += year(2018, base, indicator: "offences")  // another indicator
        added += year(2019, base)
        let writer = try ObservationBlockWriter(db: store.db, submission: 1, validFrom: "2026-01-01T00:00:00Z")
        for (cell, o) in added.enumerated() { try withUnsafePointer(to: o) { try writer.add($0, cell: cell + 1) } }
        try writer.finish()
        let rows = try store.db.rows(
            "SELECT indicator, series, coalesce(iccs, ''), breakdown, year FROM observation ORDER BY cell_id")
        let got = rows.map { r in (0..<5).map { r[$0].string ?? r[$0].int.map(String.init) ?? "" } }
        let want = added.map { [$0.indicator, $0.series, $0.iccs?.rawValue ?? "", $0.breakdown, String($0.year)] }
        #expect(got == want)
        // Each distinct series once.
        let distinct = Set(added.map(\.seriesKey)).count
        #expect(try store.db.scalar("SELECT count(*) FROM observation_series")?.int == distinct)
    }
}
