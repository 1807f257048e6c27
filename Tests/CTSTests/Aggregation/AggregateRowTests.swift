import CTSCore
import CTSIO
import Testing

/// Trend rows are kept small (labels shared, absent figures stored as NaN) and ordered by their labels.
@Suite struct AggregateRowTests {
    let world = SmallWorld()

    func row(_ series: AggregateRow.Series, _ group: AggregateRow.Group, _ year: Int) -> AggregateRow {
        AggregateRow(
            group: group, series: series, year: year, total: nil, rate: 2.5, computedTotal: 7, population: 100,
            countries: 3, reporting: 2, coverage: 50, imputedShare: 0, index: nil, change: -1.5, status: nil,
            publication: .lowCoverage)
    }

    @Test func absentFiguresStayAbsentAndSetOnesAreKept() {
        let series = AggregateRow.Series(indicator: "i", series: "t.v", iccs: ICCSCode("0101"), breakdown: "sex=_T")
        let group = AggregateRow.Group(CountryGroup(kind: .world, code: "001", name: "World", members: []))
        var r = row(series, group, 2015)
        #expect(r.total == nil && r.index == nil && r.status == nil)
        #expect(r.rate == 2.5 && r.change == -1.5 && r.year == 2015 && r.countries == 3 && r.reporting == 2)
        r.index = 100
        r.change = nil
        #expect(r.index == 100 && r.change == nil)
        #expect(r.groupCode == "001" && r.groupName == "World" && r.group == .world)
        #expect(r.indicator == "i" && r.series == "t.v" && r.iccs == ICCSCode("0101") && r.breakdown == "sex=_T")
        // A table of 757,020 rows is about 73 MB at this size (it was 224 bytes a row before labels).
        #expect(MemoryLayout<AggregateRow>.stride <= 96)
    }

    @Test func equalLabelsAreEqualRowsWhicheverInstanceTheyAre() {
        let group = AggregateRow.Group(CountryGroup(kind: .region, code: "002", name: "Africa", members: []))
        let a = AggregateRow.Series(indicator: "i", series: "t.v", iccs: nil, breakdown: "")
        let b = AggregateRow.Series(indicator: "i", series: "t.v", iccs: nil, breakdown: "")
        let c = AggregateRow.Series(indicator: "i", series: "t.w", iccs: nil, breakdown: "")
        #expect(row(a, group, 2010) == row(b, group, 2010))
        #expect(row(a, group, 2010) != row(c, group, 2010))
        #expect(row(a, group, 2010) != row(a, group, 2011))
        // Separate labels with the same texts sort as one series: by year, not by instance.
        var rows = [
            row(c, group, 2010), row(b, group, 2012), row(a, group, 2013), row(b, group, 2010), row(a, group, 2011),
        ]
        TrendTable.sort(&rows)
        #expect(rows.map(\.series) == ["t.v", "t.v", "t.v", "t.v", "t.w"])
        #expect(rows.map(\.year) == [2010, 2011, 2012, 2013, 2010])
        // Lines are made per run of one series and group: the same rows give the same lines either way.
        let dims = ["sex"]
        #expect(TrendTable.lines(rows, dimensions: dims) == rows.flatMap { TrendTable.lines([$0], dimensions: dims) })
    }

    @Test func completionReadsObservedYearsOutsideTheTable() {
        // 2010 and 2016 observed, table for 2012–2014 only: the years between are still interpolated.
        let rows = world.run([world.obs("AAA", 2010, 100), world.obs("AAA", 2016, 400)]) {
            $0.firstYear = 2012
            $0.lastYear = 2014
        }
        #expect(Set(rows.map(\.year)) == [2012, 2013, 2014])
        #expect(near(rows.first { $0.groupCode == "S1" && $0.year == 2013 }!.computedTotal, 250 + 250))
    }

    @Test func theFirstFigureOfACountryYearCounts() {
        let rows = world.run([world.obs("AAA", 2010, 100), world.obs("AAA", 2010, 900), world.obs("BBB", 2010, 50)])
        #expect(near(rows.first { $0.groupCode == "S1" && $0.year == 2010 }!.computedTotal, 150))
    }
}
