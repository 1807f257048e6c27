import CTSCore

extension ObservationTable {
    /// Puts the rows in `order`: the order SQL `ORDER BY` on the same columns gives (texts by their bytes,
    /// NULL first; every order ends with the national code, so it is total). O(n log n).
    mutating func sort(_ order: Store.ObservationOrder) {
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
            let what = Self.ranks(series.indices) { a, b in
                Self.precedes(series[a].reporterFields, series[b].reporterFields)
            }
            let breakdown = Self.ranks(series.indices) { a, b in
                Self.precedes([series[a].breakdown[...]], [series[b].breakdown[...]])
            }
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
            let what = Self.ranks(series.indices) { a, b in
                Self.precedes(
                    series[a].familyFields + series[a].reporterFields.dropFirst(),
                    series[b].familyFields + series[b].reporterFields.dropFirst())
            }
            if renumber(series: what, places: place, nationals: national) {
                // Numbers now follow the order: rows compare by their own fields, without a lookup.
                sortRowsInTwoHalves(by: Self.familyPrecedes)
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
        // Which rows come as one is decided on the rows: each observation is made once, and never copied
        // while it waits for the next row.
        let rows = self.rows[range ?? self.rows.indices]
        var i = rows.startIndex
        while i < rows.endIndex {
            let first = rows[i]
            var o = observation(first)
            var j = i + 1
            if first.national != 0 {
                while j < rows.endIndex {
                    let next = rows[j]
                    guard next.national != 0, next.series == first.series, next.year == first.year,
                        next.place == first.place
                            || places[Int(next.place)].reporter == places[Int(first.place)].reporter
                    else { break }
                    let value: Double? = next.hasValue ? next.value : nil
                    o.value = o.value.flatMap { a in value.map { a + $0 } }
                    o.nationalCode = (o.nationalCode ?? "") + "+" + nationals[Int(next.national) - 1]
                    let status = statuses[Int(next.status)]
                    if status == .estimated || o.status == .estimated {
                        o.status = .estimated
                    } else if o.status == .normal {
                        o.status = status  // keep a break, a differing definition, a provisional figure
                    }
                    j += 1
                }
            }
            try body(o, familyOf[Int(first.series)])
            i = j
        }
    }

    /// The rows of each family, in row order (after `sort(.byFamily)`, each family is one run of rows).
    func familyRanges() -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for i in rows.indices.dropFirst()
        where familyOf[Int(rows[i].series)] != familyOf[Int(rows[i - 1].series)] {
            ranges.append(start..<i)
            start = i
        }
        if !rows.isEmpty { ranges.append(start..<rows.count) }
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
    @Sendable private static func familyPrecedes(_ x: Row, _ y: Row) -> Bool {
        if x.series != y.series { return x.series < y.series }
        if x.place != y.place { return x.place < y.place }
        if x.year != y.year { return x.year < y.year }
        return x.national < y.national
    }

    /// Sorts each half of the rows on its own core, then merges the halves (the lower one copied aside,
    /// as much extra memory as one sort of all rows takes). Stable, like the sort of all rows: a row of
    /// the lower half goes first among equals. O(n log n) on two cores, then O(n).
    private mutating func sortRowsInTwoHalves(by precedes: @escaping @Sendable (Row, Row) -> Bool) {
        let count = rows.count
        guard Parallel.cores > 1, count >= 2 else { return sortRows(precedes) }
        let middle = count / 2
        rows.withUnsafeMutableBufferPointer { buffer in
            // The two halves are disjoint: each thread sorts its own.
            nonisolated(unsafe) let base = buffer.baseAddress!
            _ = Parallel.map(2) { half in
                let range = half == 0 ? 0..<middle : middle..<count
                var part = UnsafeMutableBufferPointer(start: base + range.lowerBound, count: range.count)
                part.sort(by: precedes)
                return true
            }
            let lower = UnsafeMutableBufferPointer<Row>.allocate(capacity: middle)
            defer { lower.deallocate() }
            _ = lower.initialize(from: buffer[0..<middle])
            var (i, j, k) = (0, middle, 0)
            while i < middle && j < count {
                if precedes(buffer[j], lower[i]) {
                    buffer[k] = buffer[j]
                    j += 1
                } else {
                    buffer[k] = lower[i]
                    i += 1
                }
                k += 1
            }
            while i < middle {
                buffer[k] = lower[i]
                i += 1
                k += 1
            }
        }
    }
}

extension ObservationTable.Series {
    /// Indicator, series and ICCS code, in the order `byReporter` takes them.
    var reporterFields: [Substring?] { [indicator[...], series[...], iccsText?[...]] }
}
