import CTSCore
import Foundation

/// Writes trend rows as tidy CSV: one row per group, series, breakdown and year (columns in
/// docs/METHODOLOGY.md).
public enum TrendTable {
    /// The order rows are written in: indicator, series, ICCS, breakdown, group kind (world first), group
    /// code, year.
    ///
    /// Each series and group label is ranked once, so the sort compares three integers instead of
    /// strings. O(n log n).
    public static func sorted(_ rows: [AggregateRow]) -> [AggregateRow] {
        var copy = rows
        sort(&copy)
        return copy
    }

    /// Puts `rows` in the order `sorted` gives, in place: no second array of rows is made.
    public static func sort(_ rows: inout [AggregateRow]) {
        let order = order(rows)
        // Follow each cycle of the permutation: position i takes the row at order[i]. Rows are moved, not
        // copied, so their labels are not retained and released on the way.
        var placed = [Bool](repeating: false, count: rows.count)
        rows.withUnsafeMutableBufferPointer { rows in
            guard let base = rows.baseAddress else { return }
            for start in rows.indices where !placed[start] {
                placed[start] = true
                guard order[start] != start else { continue }
                let first = (base + start).move()
                var i = start
                while true {
                    placed[i] = true
                    let j = order[i]
                    if j == start {
                        (base + i).initialize(to: first)
                        break
                    }
                    (base + i).moveInitialize(from: base + j, count: 1)
                    i = j
                }
            }
        }
    }

    /// The positions of `rows` in written order.
    private static func order(_ rows: [AggregateRow]) -> [Int] {
        // Rows share their series and group labels: each distinct label is ranked once, by its texts.
        func ranks<Label: AnyObject>(_ labels: some Sequence<Label>, by precedes: (Label, Label) -> Bool)
            -> [ObjectIdentifier: Int]
        {
            let sorted = AggregateRow.distinct(labels).sorted(by: precedes)
            var rank: [ObjectIdentifier: Int] = [:]
            for (i, label) in sorted.enumerated() {
                // Equal texts in separate labels share a rank.
                rank[ObjectIdentifier(label)] =
                    i > 0 && !precedes(sorted[i - 1], label) ? rank[ObjectIdentifier(sorted[i - 1])]! : i
            }
            return rank
        }
        // Series labels compare by their texts: each distinct text is ranked once, and labels by four
        // numbers (String comparison costs a few hundred instructions).
        func textRanks(_ texts: some Sequence<String>) -> [String: Int] {
            var rank: [String: Int] = [:]
            for (i, text) in Set(texts).sorted().enumerated() { rank[text] = i }
            return rank
        }
        // Rows are taken by index throughout: iterating them copies each, retaining and releasing both labels.
        let labels = AggregateRow.distinct(rows.indices.lazy.map { rows[$0].seriesLabel })
        let indicators = textRanks(labels.lazy.map(\.indicator))
        let names = textRanks(labels.lazy.map(\.series))
        let codes = textRanks(labels.lazy.map { $0.iccs?.rawValue ?? "" })
        let breakdowns = textRanks(labels.lazy.map(\.breakdown))
        var textKeys: [ObjectIdentifier: (Int, Int, Int, Int)] = [:]
        for label in labels {
            textKeys[ObjectIdentifier(label)] = (
                indicators[label.indicator]!, names[label.series]!, codes[label.iccs?.rawValue ?? ""]!,
                breakdowns[label.breakdown]!
            )
        }
        let seriesRank = ranks(labels) { a, b in textKeys[ObjectIdentifier(a)]! < textKeys[ObjectIdentifier(b)]! }
        let kindRank = Dictionary(uniqueKeysWithValues: CountryGroup.Kind.allCases.enumerated().map { ($1, $0) })
        let groupRank = ranks(rows.indices.lazy.map { rows[$0].groupLabel }) { a, b in
            (kindRank[a.kind]!, a.code) < (kindRank[b.kind]!, b.code)
        }
        // Rows of a series and group come in runs of years: their ranks are looked up once per run.
        var last: (series: ObjectIdentifier, group: ObjectIdentifier, ranks: (Int, Int))?
        let keys = rows.indices.map { i in
            let series = ObjectIdentifier(rows[i].seriesLabel)
            let group = ObjectIdentifier(rows[i].groupLabel)
            if last?.series != series || last?.group != group {
                last = (series, group, (seriesRank[series]!, groupRank[group]!))
            }
            return (last!.ranks.0, last!.ranks.1, rows[i].year)
        }
        return keys.withUnsafeBufferPointer { keys in
            // Runs of rows already in order (an aggregation makes a series' groups, each over its years, in
            // order) are put in order as wholes, by their first keys, then checked; only rows that are not
            // in such runs fall back to a sort of every row. Both give the stable order of the keys.
            var runs: [Range<Int>] = []
            var start = 0
            for i in keys.indices where i == keys.count - 1 || !(keys[i] < keys[i + 1]) {
                runs.append(start..<(i + 1))
                start = i + 1
            }
            runs.sort {
                let (a, b) = (keys[$0.lowerBound], keys[$1.lowerBound])
                return a < b || (a == b && $0.lowerBound < $1.lowerBound)
            }
            let order = runs.flatMap { $0 }
            let ordered = zip(order, order.dropFirst()).allSatisfy { a, b in
                keys[a] < keys[b] || (keys[a] == keys[b] && a < b)
            }
            return ordered ? order : rows.indices.sorted { keys[$0] < keys[$1] }
        }
    }

    public static let columns = [
        "group_type", "group_code", "group_name", "indicator", "series", "iccs", "iccs_level",
    ]

    public static let measures = [
        "year", "total", "rate_per_100k", "total_low", "total_high", "rate_low", "rate_high", "population", "countries", "countries_reporting", "countries_elsewhere",
        "coverage_pct", "imputed_pct", "index", "base_year", "change_pct", "status", "publication", "method",
    ]

    /// The table of `rows`, made by the completion method called `method` (`AggregationOptions.method`).
    public static func csv(_ rows: [AggregateRow], dimensions: [String], method: String) -> String {
        var out = header(dimensions: dimensions)
        for line in lines(rows, dimensions: dimensions, method: method) { out += line }
        return out
    }

    /// The header line.
    public static func header(dimensions: [String]) -> String { CSVWriter.row(columns + dimensions + measures) }

    /// One CSV line per row, in the order given.
    public static func lines<Rows: Collection<AggregateRow>>(_ rows: Rows, dimensions: [String], method: String)
        -> [String]
    {
        rows.map { row in
            var writer = ByteWriter(capacity: 256)
            appendLines([row][...], dimensions: dimensions, method: method, to: &writer)
            return writer.withBytes { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Appends one CSV line per row, in the order given, to `line`: the lines `lines` gives, without a
    /// buffer and a `String` per line. Not generic: called from another module, a generic one walked the
    /// rows through unspecialized iterator calls (800 instructions a row).
    public static func appendLines(
        _ rows: ArraySlice<AggregateRow>, dimensions: [String], method: String, to line: inout ByteWriter
    ) {
        let methodField = Array(CSVWriter.field(method).utf8)
        // The columns before the year are those of the row's group and series: made once for each run of
        // rows of one group and series (a table in order has 30 or so in a row), from the breakdown's
        // columns, made once per breakdown.
        var codeCache: [String: String] = [:]
        var last: (series: ObjectIdentifier, group: ObjectIdentifier, prefix: [UInt8])?
        for r in rows {
            let series = ObjectIdentifier(r.seriesLabel)
            let group = ObjectIdentifier(r.groupLabel)
            if last?.series != series || last?.group != group {
                let codes =
                    codeCache[r.breakdown]
                    ?? {
                        let codes = Observation.breakdownCodes(r.breakdown)
                        return dimensions.map { CSVWriter.field(codes[$0] ?? "") + "," }.joined()
                    }()
                codeCache[r.breakdown] = codes
                var prefix = ""
                for text in [r.group.rawValue, r.groupCode, r.groupName, r.indicator, r.series, r.iccs?.rawValue ?? ""]
                {
                    prefix += CSVWriter.field(text)
                    prefix += ","
                }
                prefix += r.iccs.map { String($0.level) } ?? ""
                prefix += ","
                prefix += codes
                last = (series, group, Array(prefix.utf8))
            }
            // Numbers are written digit by digit into the bytes.
            line.append(last!.prefix)
            appendCount(r.year, to: &line)
            appendNumber(r.total, 0, to: &line)
            appendNumber(r.rate, 3, to: &line)
            appendNumber(r.totalLow, 0, to: &line)
            appendNumber(r.totalHigh, 0, to: &line)
            appendNumber(r.rateLow, 3, to: &line)
            appendNumber(r.rateHigh, 3, to: &line)
            appendNumber(r.population, 0, to: &line)
            appendCount(r.countries, to: &line)
            appendCount(r.reporting, to: &line)
            appendCount(r.elsewhere, to: &line)
            appendNumber(r.coverage, 1, to: &line)
            appendNumber(r.imputedShare, 1, to: &line)
            appendNumber(r.index, 1, to: &line)
            if let base = r.baseYear { DecimalDigits.append(Int64(base), to: &line) }
            line.append(0x2C)
            appendNumber(r.change, 1, to: &line)
            // Numbers, codes and empty texts: never quoted (a leading minus sign is a number's).
            if let status = r.status { line.append(utf8: status.rawValue) }
            line.append(0x2C)
            line.append(utf8: r.publication.rawValue)
            line.append(0x2C)
            line.append(methodField)
            line.append(0x0A)
        }
    }

    /// A whole number and its comma.
    private static func appendCount(_ n: Int, to line: inout ByteWriter) {
        DecimalDigits.append(Int64(n), to: &line)
        line.append(0x2C)
    }

    /// What `fixed` gives and a comma.
    private static func appendNumber(_ value: Double?, _ digits: Int, to line: inout ByteWriter) {
        appendFixed(value, digits, to: &line)
        line.append(0x2C)
    }

    /// `value` with `digits` decimals (half away from zero), or empty.
    public static func fixed(_ value: Double?, _ digits: Int) -> String {
        var writer = ByteWriter(capacity: 32)
        appendFixed(value, digits, to: &writer)
        return writer.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends what `fixed` gives, as bytes.
    static func appendFixed(_ value: Double?, _ digits: Int, to bytes: inout ByteWriter) {
        guard let value, value.isFinite else { return }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded() / scale * (value < 0 ? -1 : 1)
        // Beyond 10^15 a double holds no fraction to speak of and may not fit an Int64 (an index against a
        // base of 1e-10): written by the C library's own fixed-point formatting instead.
        guard abs(rounded) < 1e15 else {
            bytes.append(utf8: String(format: "%.\(digits)f", rounded))
            return
        }
        if digits == 0 {
            DecimalDigits.append(Int64(rounded), to: &bytes)
            return
        }
        let whole = Int64(abs(rounded))
        let frac = Int64(((abs(rounded) - Double(whole)) * scale).rounded())
        if rounded < 0 { bytes.append(UInt8(ascii: "-")) }
        DecimalDigits.append(whole, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        // At least `digits` digits, zeros in front.
        var width = 1
        var rest = frac
        while rest >= 10 {
            rest /= 10
            width += 1
        }
        for _ in width..<max(width, digits) { bytes.append(UInt8(ascii: "0")) }
        DecimalDigits.append(frac, to: &bytes)
    }
}
