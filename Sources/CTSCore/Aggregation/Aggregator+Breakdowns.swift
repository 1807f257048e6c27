/// Making a family's completed country figures consistent before they are added up: a country's parts
/// (male, female, unknown) add up to its total, and an ICCS parent is at least the sum of its children,
/// at every breakdown. Group figures are sums of country figures, so every group then holds both.
///
/// Steps, on the completed points of one family (docs/METHODOLOGY.md, step 6):
/// 1. A total the country did not report but whose parts it reported in full is their sum (deepest first).
/// 2. At each breakdown that is a part of nothing (the totals), ICCS parents are raised to the sum of
///    their children (`floorParents`).
/// 3. Shallowest first, each total's parts are made to add up to it: reported parts are kept, the rest
///    of the total is shared among the parts without a reported figure in proportion to their own
///    completed figures (the country's own years, else its sub-region's rate: its own shares, else its
///    group's); reported parts above the total are scaled down to it. Then, among the variables of that
///    level, each ICCS parent's parts are raised to its children's, taking the difference from its parts
///    with room to spare, so that its parts still add up to its total.
extension Aggregator {
    /// A total and its parts along one dimension (every sibling, made empty where no country has it).
    struct Group {
        var parent: Int
        var parts: [Int]
        /// The part of unknown breakdown (`_U`), which takes what no share can place.
        var unknown: Int?
    }

    /// The series of a family and how their breakdowns nest.
    struct FamilyPlan {
        var labels: [AggregateRow.Series]
        /// Series that are parts of nothing, grouped by breakdown text.
        var roots: [[Int]]
        /// Each total with its parts (every sibling, made empty where no country has it), along one
        /// dimension; in batches of one level (the same parent breakdown and dimension), shallowest first.
        var levels: [[Group]]
    }

    /// The plan of `labels`; the labels of parts no country has are added at the end.
    func plan(_ labels: [AggregateRow.Series]) -> FamilyPlan {
        var labels = labels
        var index: [String: Int] = [:]
        func key(_ l: AggregateRow.Series, _ breakdown: String) -> String {
            Observation.seriesKey(indicator: l.indicator, series: l.series, iccs: l.iccs, breakdown: breakdown)
        }
        for (i, l) in labels.enumerated() { index[key(l, l.breakdown)] = i }
        var roots: [String: [Int]] = [:]
        struct Level: Hashable {
            var depth: Int
            var parent: String
            var dimension: Int
        }
        var levels: [Level: [Group]] = [:]
        var seen = Set<String>()
        for i in labels.indices {
            let label = labels[i]
            let codes = breakdowns.codes(label.breakdown)
            guard let up = breakdowns.parent(of: codes),
                let parent = index[key(label, breakdowns.text(up.parent))]
            else {
                roots[label.breakdown, default: []].append(i)
                continue
            }
            let parentText = breakdowns.text(up.parent)
            guard seen.insert(key(label, parentText) + "|\(up.dimension)").inserted else { continue }
            let unknownPosition = up.parts.firstIndex { $0[up.dimension] == BreakdownTree.unknownCode }
            let parts = up.parts.map { codes -> Int in
                let text = breakdowns.text(codes)
                if let known = index[key(label, text)] { return known }
                labels.append(
                    AggregateRow.Series(
                        indicator: label.indicator, series: label.series, iccs: label.iccs, breakdown: text))
                index[key(label, text)] = labels.count - 1
                return labels.count - 1
            }
            let level = Level(depth: breakdowns.depth(up.parent), parent: parentText, dimension: up.dimension)
            levels[level, default: []].append(
                Group(parent: parent, parts: parts, unknown: unknownPosition.map { parts[$0] }))
        }
        let order = levels.keys.sorted { ($0.depth, $0.parent, $0.dimension) < ($1.depth, $1.parent, $1.dimension) }
        return FamilyPlan(
            labels: labels, roots: roots.keys.sorted().map { roots[$0]! }, levels: order.map { levels[$0]! })
    }

    /// Applies steps 1–3 to `completed` (one entry per label of `plan`).
    func makeConsistent(_ completed: inout [[CountrySeries.Point?]], plan: FamilyPlan, grid: Grid) {
        for level in plan.levels.reversed() {
            for group in level { deriveTotal(&completed, group, grid: grid) }
        }
        let codes = plan.labels.map(\.iccs)
        for root in plan.roots where root.count > 1 {
            var only = [ICCSCode?](repeating: nil, count: codes.count)
            for i in root { only[i] = codes[i] }
            floorParents(&completed, codes: only, grid: grid)
        }
        for level in plan.levels {
            for group in level { shareOut(&completed, group, grid: grid) }
            floorParentParts(&completed, level: level, codes: codes, grid: grid)
        }
    }

    /// Step 1 for one total: where the country reported every part (or K) and not the total.
    private func deriveTotal(_ completed: inout [[CountrySeries.Point?]], _ group: Group, grid: Grid) {
        for i in 0..<grid.count {
            guard completed[group.parent][i]?.source != .observed, grid.persons[i] != nil else { continue }
            var sum = 0.0
            var estimated = false
            var complete = true
            for p in group.parts {
                guard let point = completed[p][i], point.source == .observed || point.source == .elsewhere else {
                    complete = false
                    break
                }
                sum += point.count
                estimated = estimated || point.estimated
            }
            guard complete else { continue }
            completed[group.parent][i] = .init(
                count: sum, source: .observed, estimated: estimated)
        }
    }

    /// Step 3's first half for one total: its parts made to add up to it.
    private func shareOut(_ completed: inout [[CountrySeries.Point?]], _ group: Group, grid: Grid) {
        for i in 0..<grid.count {
            guard let total = completed[group.parent][i]?.count, grid.persons[i] != nil else { continue }
            var reported = 0.0
            var free: [Int] = []
            var basis = 0.0
            for p in group.parts {
                switch completed[p][i]?.source {
                case .observed?: reported += completed[p][i]!.count
                case .elsewhere?: break
                default:
                    free.append(p)
                    basis += completed[p][i]?.count ?? 0
                }
            }
            let slack = 1e-9 * max(abs(total), 1)
            let rest = total - reported
            func set(_ p: Int, _ count: Double) {
                var point =
                    completed[p][i] ?? .init(count: 0, source: .imputed, estimated: true)
                if point.source == .observed { point.adjustment += count - point.count }
                point.count = count
                point.estimated = true
                completed[p][i] = point
            }
            if rest < -slack || (free.isEmpty && abs(rest) > slack) {
                // Reported parts above the total (or all reported and not adding up): scaled to it.
                guard reported > 0 else { continue }
                for p in group.parts where completed[p][i]?.source == .observed {
                    set(p, completed[p][i]!.count * total / reported)
                }
                for p in free { set(p, 0) }
            } else if free.count == 1, completed[group.parent][i]?.source == .observed {
                // The one part not reported is what the reported total leaves: as good as reported.
                let p = free[0]
                let estimated = completed[group.parent][i]!.estimated
                completed[p][i] = .init(
                    count: max(rest, 0), source: .observed,
                    estimated: estimated)
            } else if !free.isEmpty {
                if basis > 0 {
                    for p in free { set(p, rest * (completed[p][i]?.count ?? 0) / basis) }
                } else {
                    // Nothing to share by: what is not placed is of unknown breakdown, or shared evenly.
                    let takers = group.unknown.map { u in free.contains(u) ? [u] : free } ?? free
                    for p in free { set(p, takers.contains(p) ? rest / Double(takers.count) : 0) }
                }
            }
        }
    }

    /// Step 3's second half, for the groups of one level: each ICCS parent's parts raised to the sum of
    /// its children's, deepest parent first. The amount comes from the parent's parts that exceed their
    /// children's (in proportion to the excess), so the parts still add up to the parent's total, which
    /// step 2 (or this step a level up) made at least the children's.
    private func floorParentParts(
        _ completed: inout [[CountrySeries.Point?]], level: [Group], codes: [ICCSCode?], grid: Grid
    ) {
        let coded = level.indices.compactMap { g in codes[level[g].parent].map { (id: g, code: $0) } }
        let children = ICCSCode.nearestChildren(coded)
        guard !children.isEmpty else { return }
        let parents = children.keys.sorted {
            (codes[level[$0].parent]!.rawValue.count, $0) > (codes[level[$1].parent]!.rawValue.count, $1)
        }
        for g in parents {
            let parent = level[g]
            let kids = children[g]!.map { level[$0] }
            let width = parent.parts.count
            guard kids.allSatisfy({ $0.parts.count == width }) else { continue }
            for i in 0..<grid.count {
                guard let total = completed[parent.parent][i]?.count, grid.persons[i] != nil else { continue }
                var floor = [Double](repeating: 0, count: width)
                var own = [Double](repeating: 0, count: width)
                var complete = true
                for k in 0..<width {
                    guard let x = completed[parent.parts[k]][i]?.count else {
                        complete = false
                        break
                    }
                    own[k] = x
                    for kid in kids {
                        guard let c = completed[kid.parts[k]][i]?.count else {
                            complete = false
                            break
                        }
                        floor[k] += c
                    }
                }
                let slack = 1e-9 * max(abs(total), 1)
                guard complete, zip(own, floor).contains(where: { $0 < $1 - slack }) else { continue }
                let rest = max(total - floor.reduce(0, +), 0)
                let room = zip(own, floor).map { max($0 - $1, 0) }
                let roomSum = room.reduce(0, +)
                let floorSum = floor.reduce(0, +)
                for k in 0..<width {
                    let share =
                        roomSum > 0 ? room[k] / roomSum : floorSum > 0 ? floor[k] / floorSum : 1 / Double(width)
                    let count = floor[k] + rest * share
                    var point = completed[parent.parts[k]][i]!
                    if point.source == .observed { point.adjustment += count - point.count }
                    point.count = count
                    point.estimated = true
                    completed[parent.parts[k]][i] = point
                }
            }
        }
    }
}
