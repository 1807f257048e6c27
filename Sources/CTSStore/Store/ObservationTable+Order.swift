import CTSCore

extension ObservationTable {
    /// Puts the rows in `order`: the order SQL `ORDER BY` on the same columns gives (texts by their bytes,
    /// NULL first; every order ends with the national code, so it is total). O(n log n).
    mutating func sort(_ order: Store.ObservationOrder) {
        // An order kept from an earlier sort no longer holds once rows move.
        self.order = []
        let place = Self.ranks(places.indices) { a, b in
            Self.precedes(
                [places[a].reporter[...], places[a].iso3[...], places[a].m49[...]],
                [places[b].reporter[...], places[b].iso3[...], places[b].m49[...]])
        }
        let national =
            [0]
            + Self.ranks(nationals.indices) { a, b in Self.precedes([nationals[a][...]], [nationals[b][...]]) }.map {
                $0 + 1
            }
        switch order {
        case .byReporter:
            // reporter, indicator, series, ICCS code, year, breakdown, national code
            let texts = seriesRanks()
            let what = Self.ranks(series.indices) { a, b in
                (texts.indicator[a], texts.name[a], texts.iccs[a]) < (texts.indicator[b], texts.name[b], texts.iccs[b])
            }
            let breakdown = texts.breakdown
            sortRows { x, y in
                let (sx, sy) = (Int(x.series), Int(y.series))
                if x.place != y.place { return place[Int(x.place)] < place[Int(y.place)] }
                if what[sx] != what[sy] { return what[sx] < what[sy] }
                if x.year != y.year { return x.year < y.year }
                if breakdown[sx] != breakdown[sy] { return breakdown[sx] < breakdown[sy] }
                return national[Int(x.national)] < national[Int(y.national)]
            }
        case .byFamily:
            // indicator, table, breakdown, series, ICCS code, reporter, year, national code
            let t = seriesRanks()
            let what = Self.ranks(series.indices) { a, b in
                (t.indicator[a], t.table[a], t.breakdown[a], t.name[a], t.iccs[a])
                    < (t.indicator[b], t.table[b], t.breakdown[b], t.name[b], t.iccs[b])
            }
            if renumber(series: what, places: place, nationals: national) {
                // Numbers now follow the order: rows are counted into their series and compare by their
                // own fields, without a lookup.
                self.order = familyOrder()
                return
            }
            sortRows { x, y in
                let (sx, sy) = (Int(x.series), Int(y.series))
                if what[sx] != what[sy] { return what[sx] < what[sy] }
                if x.place != y.place { return place[Int(x.place)] < place[Int(y.place)] }
                if x.year != y.year { return x.year < y.year }
                return national[Int(x.national)] < national[Int(y.national)]
            }
        }
    }

    /// Renumbers series, places and national codes by their ranks (`national` counts 0 as none), so that
    /// the numbers compare as the texts do. Only when each set of ranks numbers its texts one to one (no
    /// two equal texts, as reading makes them); else changes nothing and returns false. O(n).
    private mutating func renumber(series seriesRank: [Int], places placeRank: [Int], nationals nationalRank: [Int])
        -> Bool
    {
        func isPermutation(_ ranks: [Int]) -> Bool {
            var seen = [Bool](repeating: false, count: ranks.count)
            for r in ranks {
                guard r >= 0, r < ranks.count, !seen[r] else { return false }
                seen[r] = true
            }
            return true
        }
        guard isPermutation(seriesRank), isPermutation(placeRank), isPermutation(nationalRank) else { return false }
        func permuted<T>(_ items: [T], _ rank: [Int], offset: Int = 0) -> [T] {
            var result = items
            for (i, item) in items.enumerated() { result[rank[i + offset] - offset] = item }
            return result
        }
        series = permuted(series, seriesRank)
        familyOf = permuted(familyOf, seriesRank)
        places = permuted(places, placeRank)
        nationals = permuted(nationals, nationalRank, offset: 1)
        rows.withUnsafeMutableBufferPointer { rows in
            for i in rows.indices {
                rows[i].series = UInt32(seriesRank[Int(rows[i].series)])
                rows[i].place = UInt16(placeRank[Int(rows[i].place)])
                rows[i].national = UInt32(nationalRank[Int(rows[i].national)])
            }
        }
        return true
    }

    /// Calls `body` with each observation in row order and the number of its family. Rows of one reporter,
    /// series and year from several national categories come as one observation: their figures added
    /// up, an estimate (E) when any part is.
    func forEachObservation(in range: Range<Int>? = nil, _ body: (Observation, _ family: Int) throws -> Void) rethrows {
        try forEachRun(in: range) { run in
            try body(observation(of: run), familyOf[Int(row(at: run.lowerBound).series)])
        }
    }

    /// Calls `body` with the positions of each observation's rows in row order: one row, or the rows of
    /// one reporter, series and year from several national categories. Decided on the rows, so that an
    /// observation is made only when asked for.
    func forEachRun(in range: Range<Int>? = nil, _ body: (Range<Int>) throws -> Void) rethrows {
        let positions = range ?? rows.indices
        var i = positions.lowerBound
        while i < positions.upperBound {
            let first = row(at: i)
            var j = i + 1
            if first.national != 0 {
                while j < positions.upperBound {
                    let next = row(at: j)
                    guard next.national != 0, next.series == first.series, next.year == first.year,
                        next.place == first.place
                            || places[Int(next.place)].reporter == places[Int(first.place)].reporter
                    else { break }
                    j += 1
                }
            }
            try body(i..<j)
            i = j
        }
    }

    /// The observation of the rows at `run` (`forEachRun`): their figures added up in order, an estimate
    /// (E) when any part is, else the first status other than normal.
    func observation(of run: Range<Int>) -> Observation {
        var o = observation(row(at: run.lowerBound))
        guard run.count > 1 else { return o }
        let sum = self.sum(of: run)
        for k in run.dropFirst() {
            o.nationalCode = (o.nationalCode ?? "") + "+" + nationals[Int(row(at: k).national) - 1]
        }
        (o.value, o.status) = (sum.value, sum.status)
        return o
    }

    /// The figures of the rows at `run` added up (`NationalCategorySum`).
    func sum(of run: Range<Int>) -> NationalCategorySum {
        let first = row(at: run.lowerBound)
        var sum = NationalCategorySum(value: first.hasValue ? first.value : nil, status: statuses[Int(first.status)])
        for k in run.dropFirst() {
            let next = row(at: k)
            sum.add(value: next.hasValue ? next.value : nil, status: statuses[Int(next.status)])
        }
        return sum
    }

    /// The positions of each family's rows in sorted order (after `sort(.byFamily)`, each family is one
    /// run of positions, families in the order of their numbers). Counted in one pass over the rows as
    /// they lie, so no row is looked up by its position.
    func familyRanges() -> [Range<Int>] {
        var counts = [Int](repeating: 0, count: (familyOf.max() ?? -1) + 1)
        for r in rows { counts[familyOf[Int(r.series)]] += 1 }
        var ranges: [Range<Int>] = []
        var start = 0
        for count in counts where count > 0 {
            ranges.append(start..<(start + count))
            start += count
        }
        return ranges
    }

    /// The observation of one row.
    func observation(_ row: Row) -> Observation {
        let p = places[Int(row.place)]
        let s = series[Int(row.series)]
        return Observation(
            reporter: p.reporter, iso3: p.iso3, m49: p.m49, year: Int(row.year), indicator: s.indicator,
            series: s.series, iccs: s.iccs, breakdown: s.breakdown, value: row.hasValue ? row.value : nil,
            status: statuses[Int(row.status)], nationalCode: row.national == 0 ? nil : nationals[Int(row.national) - 1],
            share: shares[Int(row.share)], submission: Int(row.submission))
    }

    private mutating func sortRows(_ precedes: (Row, Row) -> Bool) {
        rows.withUnsafeMutableBufferPointer { $0.sort(by: precedes) }
    }

    /// Family order of rows whose numbers follow their texts' order (after `renumber`).
    private static func familyPrecedes(_ x: Row, _ y: Row) -> Bool {
        if x.series != y.series { return x.series < y.series }
        if x.place != y.place { return x.place < y.place }
        if x.year != y.year { return x.year < y.year }
        return x.national < y.national
    }

    /// The rows' positions in family order, rows whose numbers follow their texts' order (after
    /// `renumber`). Equal rows keep their order, as a stable sort of the rows would.
    ///
    /// The rows are counted into their series, in storage order; within a series they are mostly in
    /// order already (a return lists a reporter's years together), which is checked as they are counted.
    /// Only a series whose rows are not is sorted, on its own. No row is moved: the positions take 4 bytes
    /// a row. O(n) when every series comes in order, else O(n log n) at worst.
    func familyOrder() -> [UInt32] {
        var next = [Int](repeating: 0, count: series.count + 1)
        for r in rows { next[Int(r.series) + 1] += 1 }
        for s in series.indices { next[s + 1] += next[s] }
        let start = next
        var inOrder = [Bool](repeating: true, count: series.count)
        var order = [UInt32](repeating: 0, count: rows.count)
        rows.withUnsafeBufferPointer { rows in
            order.withUnsafeMutableBufferPointer { order in
                for i in rows.indices {
                    let s = Int(rows[i].series)
                    let position = next[s]
                    if position > start[s] && Self.familyPrecedes(rows[i], rows[Int(order[position - 1])]) {
                        inOrder[s] = false
                    }
                    order[position] = UInt32(i)
                    next[s] = position + 1
                }
            }
        }
        let unsorted = series.indices.filter { !inOrder[$0] }
        guard !unsorted.isEmpty else { return order }
        // Series out of order are sorted side by side (each its own part of `order`), by the rows' fields,
        // then by position, which keeps equal rows in storage order.
        rows.withUnsafeBufferPointer { rows in
            order.withUnsafeMutableBufferPointer { order in
                // Shared with the jobs: each sorts only its own series' part of `order` and reads `rows`,
                // which nothing writes meanwhile, and all are done when `map` returns.
                nonisolated(unsafe) let (rows, order) = (rows, order)
                _ = Parallel.map(Parallel.cores) { part in
                    let share =
                        (unsorted.count * part / Parallel.cores)..<(unsorted.count * (part + 1) / Parallel.cores)
                    for s in unsorted[share] {
                        var positions = UnsafeMutableBufferPointer(rebasing: order[start[s]..<start[s + 1]])
                        positions.sort { a, b in
                            let (x, y) = (rows[Int(a)], rows[Int(b)])
                            if Self.familyPrecedes(x, y) { return true }
                            return !Self.familyPrecedes(y, x) && a < b
                        }
                    }
                    return true
                }
            }
        }
        return order
    }
}
