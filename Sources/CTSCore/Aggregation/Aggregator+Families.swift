/// A family's series taken a set of ICCS-linked variables at a time, and their rows.
extension Aggregator {
    /// The trend rows of one family of series (one indicator and table, every breakdown; `family(of:)`),
    /// each series with its countries' own figures: the one way in to an aggregation.
    ///
    /// The series of a family are completed and made consistent together (a set of ICCS-linked variables
    /// at a time), so that a country's parts add up to its total and its ICCS parents hold their children
    /// before anything is added up; every group then keeps both. Families never meet, so they may be
    /// aggregated one at a time or side by side.
    public func aggregate(family: consuming [SeriesFigures]) -> [AggregateRow] {
        Array(aggregateInParts(family: family).joined())
    }

    /// The rows `aggregate(family:)` gives, in pieces (one per set of variables linked by the ICCS
    /// order), so that a caller gathering many families copies each row once.
    public func aggregateInParts(family: consuming [SeriesFigures]) -> [[AggregateRow]] {
        var series = family
        var low = Int.max
        var high = Int.min
        for s in series {
            for f in s.figures {
                low = min(low, f.year)
                high = max(high, f.year)
            }
        }
        guard let years = years(low: low, high: high) else { return [] }
        var pieces: [[AggregateRow]] = []
        for part in Self.linkedByICCS(series.map(\.label)) {
            pieces.append(aggregate(linked: part.map { series[$0] }, years: years))
            for i in part { series[i].figures = [] }  // let go of each set's figures once it is done
        }
        return pieces
    }

    /// The years a family's tables cover, from the first and last year of its figures and the options;
    /// nil when there are none (no figures, or --from after --to's default): nothing to publish.
    public func years(low: Int, high: Int) -> ClosedRange<Int>? {
        let (first, last) = (options.firstYear ?? low, options.lastYear ?? high)
        guard low <= high, first <= last else { return nil }
        return first...last
    }

    /// The series of a family (by their labels) in sets of variables linked by the ICCS order (a parent
    /// and its descendants among them), each set with every breakdown of its variables: positions in
    /// `labels`, sets and series in key order. Variables meet only through the ICCS order, so each set is
    /// done on its own (`aggregate(linked:years:)`), and memory holds one set's figures and points, not
    /// the whole table's.
    public static func linkedByICCS(_ labels: [AggregateRow.Series]) -> [[Int]] {
        let keys = labels.map {
            Observation.seriesKey(indicator: $0.indicator, series: $0.series, iccs: $0.iccs, breakdown: $0.breakdown)
        }
        let order = labels.indices.sorted { keys[$0] < keys[$1] }
        var variables: [String: Int] = [:]
        var codes: [ICCSCode?] = []
        var variableOf = [Int](repeating: 0, count: labels.count)
        for i in order {
            let l = labels[i]
            let key = "\(l.indicator)|\(l.series)|\(l.iccs?.rawValue ?? "")"
            if let v = variables[key] {
                variableOf[i] = v
            } else {
                variables[key] = codes.count
                variableOf[i] = codes.count
                codes.append(l.iccs)
            }
        }
        // Union-find over the variables, joined along each nearest parent-child link.
        var root = Array(codes.indices)
        func find(_ v: Int) -> Int {
            var v = v
            while root[v] != v {
                root[v] = root[root[v]]
                v = root[v]
            }
            return v
        }
        let coded = codes.indices.compactMap { v in codes[v].map { (id: v, code: $0) } }
        for (parent, children) in ICCSCode.nearestChildren(coded) {
            for child in children { root[find(child)] = find(parent) }
        }
        var sets: [Int: [Int]] = [:]
        var setOrder: [Int] = []
        for i in order {
            let r = find(variableOf[i])
            if sets[r] == nil { setOrder.append(r) }
            sets[r, default: []].append(i)
        }
        return setOrder.map { sets[$0]! }
    }

    /// The rows of one set of `linkedByICCS` (every figure of its series), for `years`: completed and made
    /// consistent together, then added up into every group.
    public func aggregate(linked series: [SeriesFigures], years: ClosedRange<Int>) -> [AggregateRow] {
        aggregate(series.sorted { $0.key < $1.key }, grid: Grid(years: years, population: populationOf))
    }

    /// The rows of a set of series completed and made consistent together (`aggregate(family:)`).
    func aggregate(_ series: [SeriesFigures], grid: Grid) -> [AggregateRow] {
        let years = grid.years
        let plan = plan(series.map(\.label))
        var completed = series.map { complete($0.figures, grid: grid) }
        // Parts no country has: empty, to be given their share of the total.
        completed += Array(
            repeating: [CountrySeries.Point?](repeating: nil, count: grid.count), count: plan.labels.count - series.count)
        makeConsistent(&completed, plan: plan, grid: grid)
        var rows: [AggregateRow] = []
        let perSeries = groups.count * years.count
        rows.reserveCapacity(perSeries * plan.labels.count)
        for (j, label) in plan.labels.enumerated() {
            for g in groups.indices {
                // Made in place: a group's rows appended from an array of their own were copied,
                // retaining and releasing their labels.
                for y in 0..<years.count {
                    rows.append(row(g, year: y, grid: grid, points: completed[j], series: label))
                }
            }
            completed[j] = []  // a set holds its points or its rows, not both
        }
        publishTogether(&rows, plan: plan, perSeries: perSeries)
        for start in stride(from: 0, to: rows.count, by: perSeries) {
            addIndexAndChange(&rows, in: start..<(start + perSeries), years: years.count)
        }
        return rows
    }

    /// The parts of a total are published together: when one of them is (its reporters cover enough of
    /// the group), the others are too, marked E where their own coverage is low, so that the published
    /// parts add up to the total. `rows` holds `perSeries` rows of each of `plan`'s labels in turn.
    func publishTogether(_ rows: inout [AggregateRow], plan: FamilyPlan, perSeries: Int) {
        for level in plan.levels {
            for group in level {
                for offset in 0..<perSeries {
                    guard group.parts.contains(where: { rows[$0 * perSeries + offset].publication == .published })
                    else { continue }
                    for p in group.parts {
                        let i = p * perSeries + offset
                        guard rows[i].publication == .lowCoverage else { continue }
                        rows[i].publish(estimated: true)
                    }
                }
            }
        }
    }
}
