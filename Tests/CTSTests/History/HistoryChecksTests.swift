import CTSCore
import CTSIO
import Foundation
import Testing

/// A reporter's stored figures held in memory, keyed as the return's cells are.
struct MemoryReporter: StoredReporter {
    /// Series numbers by (table, variable, breakdown); figures by series number, by year.
    var numbers: [String: Int] = [:]
    var series: [[StoredFigure]] = []

    init(_ cells: [(key: CellKey, value: Double?, status: ObservationStatus)], source: String = "KEN-2018.csv") {
        for (line, c) in cells.enumerated() {
            let name = Self.name(c.key)
            let n = numbers[name] ?? series.count
            if n == series.count {
                numbers[name] = n
                series.append([])
            }
            series[n].append(
                StoredFigure(
                    year: c.key.year, value: c.value, rawValue: c.value.map { String(Int64($0)) } ?? "",
                    status: c.status, source: "\(source) (received 2026-03-02)", line: line + 2))
            series[n].sort { $0.year < $1.year }
        }
    }

    static func name(_ key: CellKey) -> String { "\(key.table).\(key.variable)\(key.breakdown)" }

    func seriesNumber(_ key: CellKey) -> Int? { numbers[Self.name(key)] }
    func figures(series number: Int) -> [StoredFigure] { series[number] }
    func figure(series number: Int, year: Int) -> StoredFigure? { series[number].first { $0.year == year } }
    func storedValue(series number: Int, year: Int) -> (value: Double?, status: ObservationStatus)? {
        figure(series: number, year: year).map { ($0.value, $0.status) }
    }
    func cell(_ key: CellKey) -> ReturnCell? {
        guard let n = seriesNumber(key), let f = figure(series: n, year: key.year) else { return nil }
        return ReturnCell(
            key: key, value: f.value, rawValue: f.rawValue, status: f.status, note: "",
            location: SourceLocation(file: "stored " + f.source, line: f.line, column: 1))
    }
}

/// The checks of a return against the store: revisions of stored figures, breaks in series, and new
/// figures far outside the reporter's own series. Pure: the history is held in memory.
@Suite struct HistoryChecksTests {
    let q = Repo.questionnaire

    /// KEN's required totals for `years`, with `value(year, variable)` as the figure.
    func stored(_ years: ClosedRange<Int>, _ value: (Int, String) -> Double?) -> ReporterHistory {
        var cells: [(key: CellKey, value: Double?, status: ObservationStatus)] = []
        for year in years {
            for row in ReturnFixture.requiredRows(year: year) {
                let key = q.totalKey(country: "KEN", year: year, table: q.table(row[2])!, variable: row[3])
                cells.append((key, value(year, row[3]), .normal))
            }
        }
        let history = ReporterHistory()
        history.add("KEN", MemoryReporter(cells))
        return history
    }

    func check(_ rows: [[String]], history: ReporterHistory, questionnaire: Questionnaire? = nil) -> [Finding] {
        let q = questionnaire ?? self.q
        let parsed = ReturnFixture.reader().read(bytes: Array(returnCSV(rows).utf8), name: "KEN-2019.csv")
        return Validator(questionnaire: q, history: history).validate(parsed.cells)
    }

    /// The issue's test: three stored years and one outlying year give exactly one outlier warning.
    @Test func threeYearsOfHistoryAndOneOutlyingYearGiveOneOutlierWarning() {
        let history = stored(2016...2018) { year, _ in [2016: 400, 2017: 410, 2018: 405][year] }
        var rows = ReturnFixture.requiredRows(year: 2019, value: "408")
        rows[4][7] = "1215"  // theft tripled
        let outliers = check(rows, history: history).filter { $0.ruleID == "history.outlier" }
        #expect(outliers.count == 1, "\(outliers)")
        let theft = outliers.first
        #expect(theft?.cell?.variable == "theft" && theft?.severity == .warning)
        #expect(theft?.message.contains("2019: 1,215 is +200.0% on 2018 (405)") == true, "\(theft?.message ?? "")")
        #expect(theft?.message.contains("Over the stored years 2016–2018") == true)
        #expect(theft?.related.first?.file == "stored KEN-2018.csv (received 2026-03-02)")
        // Checked alone, nothing is compared with the store.
        let parsed = ReturnFixture.reader().read(bytes: Array(returnCSV(rows).utf8), name: "KEN-2019.csv")
        #expect(!Validator(questionnaire: q).validate(parsed.cells).contains { $0.ruleID.hasPrefix("history.") })
    }

    /// A series that grows steadily is not an outlier when it grows once more; too short a history is not
    /// tested at all.
    @Test func aSteadyTrendIsNotAnOutlierAndAShortHistoryIsNotTested() {
        let growing = stored(2010...2018) { year, _ in (1000 * pow(1.15, Double(year - 2010))).rounded() }
        let next = String(Int((1000 * pow(1.15, 9)).rounded()))
        let trend = check(ReturnFixture.requiredRows(year: 2019, value: next), history: growing)
        #expect(!trend.contains { $0.ruleID == "history.outlier" }, "\(trend.map(\.message))")
        let short = stored(2017...2018) { _, _ in 400 }
        var rows = ReturnFixture.requiredRows(year: 2019, value: "400")
        rows[4][7] = "4000"
        #expect(!check(rows, history: short).contains { $0.ruleID == "history.outlier" })
    }

    /// The issue's test: a return revising 2018 by 30% lists the revision with the old and new values.
    @Test func aRevisionOfThirtyPercentIsListedWithOldAndNewValues() {
        let history = stored(2016...2018) { _, _ in 400 }
        var rows = ReturnFixture.requiredRows(year: 2018, value: "400")
        rows[4][7] = "520"  // theft revised by 30%
        rows[3][7] = "420"  // robbery by 5%: listed, within the threshold
        let revisions = check(rows, history: history).filter { $0.kind == .revision }
        #expect(revisions.count == 2, "\(revisions)")
        let theft = revisions.first { $0.cell?.variable == "theft" }
        #expect(theft?.ruleID == "revision.large" && theft?.severity == .warning)
        #expect(
            theft?.revision
                == Revision(
                    old: "400", oldStatus: "A", new: "520", newStatus: "A", change: 0.3,
                    replaces: "KEN-2018.csv (received 2026-03-02)"))
        #expect(theft?.message.contains("Revises the stored 2018 figure 400, from KEN-2018.csv") == true)
        #expect(theft?.message.contains("(+30.0%), more than the 10.0%") == true, "\(theft?.message ?? "")")
        let robbery = revisions.first { $0.cell?.variable == "robbery" }
        #expect(robbery?.ruleID == "revision.changed" && robbery?.severity == .info)
        #expect(robbery?.revision?.change.map { abs($0 - 0.05) < 1e-9 } == true)

        // The questionnaire sets the threshold: at 40% the theft revision is within it.
        var lenient = q
        lenient.history.revisionThreshold = 0.4
        #expect(check(rows, history: history, questionnaire: lenient).filter { $0.severity == .warning && $0.kind == .revision }.isEmpty)
    }

    @Test func aFigureTakenAwayIsAWarningAndUnchangedFiguresAreNotRevisions() {
        let history = stored(2016...2018) { _, _ in 400 }
        var rows = ReturnFixture.requiredRows(year: 2018, value: "400")
        rows[4][7] = ""
        rows[4][8] = "L"
        let findings = check(rows, history: history)
        let revisions = findings.filter { $0.kind == .revision }
        #expect(revisions.map(\.ruleID) == ["revision.to-missing"], "\(revisions)")
        #expect(revisions.first?.severity == .warning)
        #expect(revisions.first?.revision?.new == "" && revisions.first?.revision?.newStatus == "L")
        #expect(!findings.contains { $0.ruleID == "history.outlier" })
    }

    /// Several years of one series revised at once suggest a break in series, unless they carry status B;
    /// a figure marked B is not tested as an outlier either.
    @Test func severalYearsRevisedAtOnceSuggestABreakInSeries() {
        let history = stored(2012...2018) { _, _ in 400 }
        let rows = (2016...2018).flatMap { year in
            ReturnFixture.requiredRows(year: year, value: "400").map { row in
                var row = row
                if row[3] == "theft" { row[7] = "600" }
                return row
            }
        }
        let findings = check(rows, history: history)
        let breaks = findings.filter { $0.ruleID == "revision.series-break" }
        #expect(breaks.count == 1, "\(findings.map(\.ruleID))")
        #expect(breaks.first?.message.contains("revises 3 years of this series at once (2016, 2017, 2018, by +50.0% to +50.0%)") == true, "\(breaks.first?.message ?? "")")
        #expect(breaks.first?.cell?.year == 2016 && breaks.first?.related.count == 2)

        let marked = rows.map { row -> [String] in
            var row = row
            if row[3] == "theft" { row[8] = "B" }
            return row
        }
        let markedFindings = check(marked, history: history)
        #expect(!markedFindings.contains { $0.ruleID == "revision.series-break" || $0.ruleID == "history.outlier" })
        #expect(markedFindings.filter { $0.ruleID == "revision.large" }.count == 3)
    }

    /// The level method compares the figure itself with the stored years.
    @Test func theLevelMethodComparesTheFigures() {
        var q = self.q
        q.history.outliers = OutlierTest(method: .level, threshold: 3.5, minimumYears: 3)
        let history = stored(2015...2018) { year, _ in [2015: 400, 2016: 1000, 2017: 405, 2018: 980][year] }
        // A series that swings between two levels: the figures at either level pass, one far above both not.
        var rows = ReturnFixture.requiredRows(year: 2019, value: "410")
        rows[4][7] = "20000"
        let findings = check(rows, history: history, questionnaire: q).filter { $0.ruleID == "history.outlier" }
        #expect(findings.map { $0.cell?.variable } == ["theft"], "\(findings)")
        #expect(findings.first?.message.contains("lies far outside the stored years 2015–2018") == true)
    }
}

/// The robust z-score itself, on the worked example of docs/RULES.md.
@Suite struct OutlierTestTests {
    @Test func theWorkedExampleOfTheRulesPage() throws {
        let stored = [171_872, 157_911, 146_359, 141_504, 136_011, 136_914].enumerated().map {
            OutlierTest.Point(year: 2014 + $0.offset, value: Double($0.element))
        }
        let result = try #require(OutlierTest().test(year: 2020, value: 376_425, previous: 136_914, history: stored))
        #expect(result.isOutlier)
        #expect(String(format: "%.1f", result.score) == "14.2")
        #expect(String(format: "%.4f", result.median) == "-0.0396")
        #expect(result.years == 2014...2019)
        // The real 2020 figure is no outlier.
        #expect(OutlierTest().test(year: 2020, value: 125_475, previous: 136_914, history: stored)?.isOutlier == false)
        // Without the year before, the change method cannot say.
        #expect(OutlierTest().test(year: 2020, value: 1, previous: nil, history: stored) == nil)
    }
}
