/// The rows of a group-year: sums of the completed country figures, coverage, bounds, index and change.
extension Aggregator {
    /// The row of group number `g` for year `y` (offset into `grid.years`).
    func row(_ g: Int, year y: Int, grid: Grid, points: [CountrySeries.Point?], series: AggregateRow.Series)
        -> AggregateRow
    {
        let year = grid.years.lowerBound + y
        let width = grid.years.count
        var total = 0.0
        var (low, high) = (0.0, 0.0)
        var notObserved = 0.0
        var pop = 0.0
        var observedPop = 0.0
        var countries = 0
        var reporting = 0
        var elsewhere = 0
        var anyEstimate = false
        var missing = false
        for m in memberNumbers[g] {
            guard let persons = grid.persons[m * width + y] else { continue }
            countries += 1
            pop += persons
            guard let p = points[m * width + y] else {
                missing = true
                continue
            }
            total += p.count
            // The bounds always hold the figure itself (a share may have moved it).
            low += min(p.count * Double(p.low), p.count)
            high += max(p.count * Double(p.high), p.count)
            anyEstimate = anyEstimate || p.estimated
            switch p.source {
            case .observed:
                reporting += 1
                observedPop += persons
                notObserved += abs(p.adjustment)
            case .elsewhere:
                elsewhere += 1
            default:
                notObserved += p.count
            }
        }
        let coverage = pop > 0 ? observedPop / pop : 0
        let publication: AggregateRow.Publication =
            missing ? .noData : coverage + 1e-12 < options.coverageThreshold ? .lowCoverage : .published
        let published = publication == .published
        return AggregateRow(
            group: groupLabels[g], series: series, year: year, total: published ? total : nil,
            rate: published && pop > 0 ? total / pop * 100_000 : nil, bounds: (low, high),
            computedTotal: total, population: pop,
            countries: countries, reporting: reporting, elsewhere: elsewhere, coverage: coverage * 100,
            imputedShare: total > 0 ? notObserved / total * 100 : 0, index: nil, change: nil,
            status: published ? (anyEstimate ? .estimated : .normal) : nil, publication: publication)
    }

    /// Index (base year = 100) and change from the year before, both on the rate, for published years, in
    /// the rows of one series (`width` years of each group in turn). One base year for the whole series
    /// (`baseYear`), else the first year the world is published (when it never is, the first year any
    /// M49 group is), for the custom groups the first year every one of them is; each row says which
    /// (`base_year`).
    func addIndexAndChange(_ rows: inout [AggregateRow], in range: Range<Int>, years width: Int) {
        func firstYearPublished(every: Bool, _ kinds: (CountryGroup.Kind) -> Bool) -> Int? {
            let chosen = stride(from: range.lowerBound, to: range.upperBound, by: width).filter { kinds(rows[$0].group) }
            guard !chosen.isEmpty else { return nil }
            return (0..<width).first { y in
                every ? chosen.allSatisfy { rows[$0 + y].rate != nil } : chosen.contains { rows[$0 + y].rate != nil }
            }.map { rows[range.lowerBound + $0].year }
        }
        let m49Base =
            options.baseYear ?? firstYearPublished(every: true) { $0 == .world }
            ?? firstYearPublished(every: false) { $0 != .custom }
        let customBase = options.baseYear ?? firstYearPublished(every: true) { $0 == .custom }
        for start in stride(from: range.lowerBound, to: range.upperBound, by: width) {
            let group = start..<(start + width)
            let baseYear = rows[start].group == .custom ? customBase : m49Base
            let base = baseYear.flatMap { year in group.first { rows[$0].year == year }.flatMap { rows[$0].rate } }
            for i in group {
                rows[i].baseYear = baseYear
                guard let rate = rows[i].rate else { continue }
                if let base, base > 0 { rows[i].index = rate / base * 100 }
                if i > group.lowerBound, let previous = rows[i - 1].rate, previous > 0 {
                    rows[i].change = (rate - previous) / previous * 100
                }
            }
        }
    }
}
