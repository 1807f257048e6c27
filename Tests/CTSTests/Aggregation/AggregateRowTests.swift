import CTSCore
import Testing

@testable import CTSIO

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
        // A table of 757,020 rows is about 85 MB at this size (it was 224 bytes a row before labels, 96
        // before the uncertainty bounds).
        #expect(MemoryLayout<AggregateRow>.stride <= 112)
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
        #expect(TrendTable.lines(rows, dimensions: dims, method: "unodc") == rows.flatMap { TrendTable.lines([$0], dimensions: dims, method: "unodc") })
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

/// Trend figures are written digit by digit; they must read as the plain formatting rule says.
@Suite struct TrendNumberTests {
    /// The rule, written the slow way: round half away from zero to `digits` decimals, pad the decimals.
    static func reference(_ value: Double?, _ digits: Int) -> String {
        guard let value, value.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded() / scale * (value < 0 ? -1 : 1)
        if digits == 0 { return String(Int64(rounded)) }
        let whole = Int64(abs(rounded))
        let frac = Int64(((abs(rounded) - Double(whole)) * scale).rounded())
        var fracText = String(frac)
        while fracText.count < digits { fracText = "0" + fracText }
        return (rounded < 0 ? "-" : "") + "\(whole).\(fracText)"
    }

    @Test func fixedAgreesWithTheRule() {
        var values: [Double?] = [
            nil, .nan, .infinity, -.infinity, 0, -0.0, 0.05, -0.05, 0.0049, 1.005, 2.675, 12.345, -12.345, 0.999_96,
            99.95, -99.95, 1e-9, 123_456_789.987_654, 9_007_199_254_740_992, -42, 7e15, 1.0 / 3.0, 2.0 / 3.0,
        ]
        var x = 0.123_456_7
        for _ in 0..<100 {
            values.append(x)
            values.append(-x)
            x *= 1.37
        }
        for value in values {
            for digits in 0...3 {
                #expect(
                    TrendTable.fixed(value, digits) == Self.reference(value, digits),
                    "\(String(describing: value)) \(digits)"
                )
            }
        }
    }

    /// An index against a tiny base (a figure of 1e-10 with status E, then 1e11) is far beyond an Int64:
    /// written in full, where converting it stopped every aggregation.
    @Test func figuresBeyondAnInt64AreWrittenInFull() {
        #expect(TrendTable.fixed(1e21, 1) == "1000000000000000000000.0")
        #expect(TrendTable.fixed(-1e21, 0) == "-1000000000000000000000")
        #expect(TrendTable.fixed(1e300, 2).hasSuffix(".00"))
        #expect(TrendTable.fixed(1e300, 2).count == 304)
    }

    @Test func aLineHasEveryColumnInOrder() {
        let series = AggregateRow.Series(indicator: "i", series: "t.v", iccs: ICCSCode("0101"), breakdown: "sex=F")
        let group = AggregateRow.Group(CountryGroup(kind: .region, code: "002", name: "Africa, \"south\"", members: []))
        let row = AggregateRow(
            group: group, series: series, year: 2015, total: 1234.5, rate: -0.0005, computedTotal: 1, population: 7e6,
            countries: 12, reporting: 0, coverage: 66.66, imputedShare: 100, index: nil, change: -3.25,
            status: .estimated, publication: .published)
        #expect(
            TrendTable.lines([row], dimensions: ["sex", "age"], method: "interpolate")
                == [
                    "region,002,\"Africa, \"\"south\"\"\",i,t.v,0101,2,F,,2015,1235,-0.001,,,,,7000000,12,0,0,66.7,100.0,,,-3.3,E,published,interpolate\n"
                ])
    }
}

/// Texts put in the HTML pages: only the five markup characters change, whatever else a text holds.
@Suite struct HTMLEscapeTests {
    @Test func onlyMarkupCharactersChange() {
        #expect(HTML.escape("Côte d’Ivoire, 2015–2020") == "Côte d’Ivoire, 2015–2020")
        #expect(HTML.escape("") == "")
        #expect(
            HTML.escape("a<b & \"c\" > 'd' é") == "a&lt;b &amp; &quot;c&quot; &gt; &#39;d&#39; é")
        #expect(HTML.escape("<<") == "&lt;&lt;")
    }
}
