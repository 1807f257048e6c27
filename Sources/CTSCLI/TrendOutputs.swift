import CTSCore
import CTSIO
import CTSStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes an aggregation's outputs: the long trend table, one table per indicator, a chart per indicator
/// and ICCS code, and the metadata that says how they were made.
struct TrendOutputs {
    /// `name` as a file name in an output folder: letters, digits, `_` and `-` only, so that an id from a
    /// questionnaire can never name a file outside the folder (lint refuses such ids too).
    static func fileName(_ name: String) throws -> String {
        let safe =
            !name.isEmpty
            && name.utf8.allSatisfy { c in
                c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39)
                    || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
            }
        guard safe else {
            throw InputError(
                "\"\(name)\" cannot name an output file: only letters, digits, _ and - may.",
                code: "output.unsafe-name",
                fix: "Give the questionnaire's indicators ids of letters, digits and _ (cts questionnaire lint).")
        }
        return name
    }

    var directory: String
    /// Labels for chart titles: each variable's (`table.variable`) from the questionnaire, each ICCS
    /// code's from the classification.
    var variableLabels: [String: String] = [:]
    var iccs: ICCSClassification?
    /// Whether the output folder holds (or the command will write) the exported observations the index
    /// links to.
    var withObservations = false

    struct Metadata: Encodable {
        var tool = "cts"
        /// The cts that wrote the outputs (`cts --version`).
        var version = CTS.version
        var store: StoreInfo
        var questionnaires: [String]
        var options: AggregationOptions
        var customGroups: String?
        var inputs: [Store.SubmissionSummary]
        var reference: [FileHash]
        var files: [String]
        var series: Int
        var rows: Int
        /// The country figures aggregated, by observation status (A, B, D, E, K, M, P, W): how much of the
        /// tables rests on estimates, breaks in series and figures of other definitions.
        var figureStatuses: [String: Int]
    }

    struct StoreInfo: Encodable {
        var path: String
        var asOf: String?
        var submissions: Int
        /// `Store.contentHash`: identifies the figures the tables were made from.
        var vintage: String
    }

    struct FileHash: Encodable {
        var file: String
        var sha256: String
    }

    /// How many series (indicator, series, ICCS code, breakdown) the rows hold.
    static func seriesCount(_ rows: [AggregateRow]) -> Int {
        // Rows of a series share its label: each label is looked at once, then labels are told apart by
        // their texts.
        Set(AggregateRow.distinct(rows.lazy.map { $0.seriesLabel })).count
    }

    /// Writes everything for `rows`, which are in `TrendTable` order (`TrendTable.sort`); returns the files
    /// written, relative to `directory`.
    func write(
        _ rows: [AggregateRow], dimensions: [String], method: String, reports: [TrendIndex.ReportLink] = [],
        metadata: (_ files: [String]) -> Metadata
    ) throws -> [String] {
        try FileSystem.makeDirectory(directory + "/trends")
        try FileSystem.makeDirectory(directory + "/charts")
        var files: [String] = []
        func put(_ name: String, _ text: String) throws {
            try AtomicFile.write(text, to: directory + "/" + name)
            files.append(name)
        }
        let indicatorFiles = try writeLines(rows, dimensions: dimensions, method: method)
        files.append("trends.csv")
        files += indicatorFiles  // in the rows' order: by indicator
        var indexCharts: [TrendIndex.Chart] = []
        for (name, chartRows, title, subtitle) in charts(rows) {
            try put(
                "charts/\(try Self.fileName(name)).svg", TrendChart.svg(chartRows, title: title, subtitle: subtitle))
            indexCharts.append(.init(file: "charts/\(name).svg", title: title + " (" + subtitle + ")", rows: chartRows))
        }
        let meta = metadata(files + ["trends_metadata.json", "index.html"])
        let facts: [(String, String)] = [
            ("Store", meta.store.path), ("As of", meta.store.asOf ?? "current figures"),
            ("Submissions", String(meta.store.submissions)), ("Vintage (SHA-256 of the figures)", meta.store.vintage),
            ("Questionnaires", meta.questionnaires.joined(separator: ", ")),
            (
                "Options",
                "method \(meta.options.method), carry \(meta.options.carryYears) years, coverage threshold "
                    + "\(TrendTable.fixed(meta.options.coverageThreshold * 100, 1))%, base year "
                    + (meta.options.baseYear.map(String.init) ?? "the first year the world is published")
            ),
        ]
        // The index links only files that are there: the exported observations when this run writes them
        // or an earlier export left them.
        let exports = withObservations ? ["observations.csv", "observations.sdmx.csv"] : []
        let index = TrendIndex(
            files: files + exports + ["trends_metadata.json"], charts: indexCharts,
            reports: reports, facts: facts, threshold: meta.options.coverageThreshold)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try put("trends_metadata.json", String(decoding: try encoder.encode(meta), as: UTF8.self) + "\n")
        try put("index.html", index.html())
        return files
    }

    /// Writes trends.csv and one file per indicator (`trends/INDICATOR.csv`) with the lines of `rows` (in
    /// `TrendTable` order); returns the indicator files, in the rows' order.
    ///
    /// Each row is formatted once, in pieces of at most `piece` rows of one indicator on every core, and
    /// its line goes to trends.csv and to its indicator's file; no piece is kept once written. The pieces
    /// of one batch are written while the next batch is formatted.
    func writeLines(_ rows: [AggregateRow], dimensions: [String], method: String, piece: Int = 20_000) throws
        -> [String]
    {
        let lines = try TrendLineFiles(directory: directory, header: TrendTable.header(dimensions: dimensions))
        var runs: [Range<Int>] = []
        var runStart = 0
        for i in rows.indices
        where i == rows.count - 1 || i - runStart + 1 == piece || rows[i + 1].indicator != rows[i].indicator {
            runs.append(runStart..<(i + 1))
            runStart = i + 1
        }
        // The last batch is empty: its turn writes the batch before.
        let width = Parallel.cores * 2
        let batches =
            stride(from: 0, to: runs.count, by: width).map { Array(runs[$0..<min(runs.count, $0 + width)]) } + [[]]
        var formatted: [(run: Range<Int>, bytes: [UInt8])] = []
        for batch in batches {
            // Job 0 writes the batch before (one thread at a time uses the files); the others format.
            // Shared with the jobs, though not Sendable: only job 0 touches it, and `map` returns when
            // it is done.
            nonisolated(unsafe) let lines = lines
            let waiting = formatted
            let done = Parallel.map(batch.count + 1) { job -> Result<[UInt8], any Error> in
                guard job > 0 else {
                    return Result {
                        for (run, bytes) in waiting { try lines.put(bytes, indicator: rows[run.lowerBound].indicator) }
                        return []
                    }
                }
                var writer = ByteWriter(capacity: batch[job - 1].count * 160)
                TrendTable.appendLines(rows[batch[job - 1]], dimensions: dimensions, method: method, to: &writer)
                return .success(writer.bytes)
            }
            _ = try done[0].get()
            formatted = try zip(batch, done.dropFirst()).map { ($0, try $1.get()) }
        }
        try lines.commit()
        return lines.indicatorFiles
    }

    /// One chart per indicator and ICCS code: the series with the most published totals (all breakdowns
    /// at their totals), world and regions.
    func charts(_ rows: [AggregateRow]) -> [(String, [AggregateRow], String, String)] {
        // Rows of a series come in runs (of its groups and years): each run is looked at once. Whether a
        // breakdown is all totals is decided once per series label.
        var isTotal: [ObjectIdentifier: Bool] = [:]
        // Indicator and ICCS code → series and breakdown → its rows and how many have a rate.
        var topics: [String: [String: (rows: [AggregateRow], rated: Int)]] = [:]
        var start = 0
        while start < rows.count {
            let sample = rows[start]
            var end = start + 1
            while end < rows.count && rows[end].seriesLabel === sample.seriesLabel { end += 1 }
            let id = ObjectIdentifier(sample.seriesLabel)
            let total = isTotal[id] ?? sample.breakdown.split(separator: ";").allSatisfy { $0.hasSuffix("=_T") }
            isTotal[id] = total
            if total {
                let run = rows[start..<end]
                let rated = run.reduce(0) { $1.rate != nil ? $0 + 1 : $0 }
                let topic = "\(sample.indicator)|\(sample.iccs?.rawValue ?? "")"
                let series = sample.series + "|" + sample.breakdown
                topics[topic, default: [:]][series, default: ([], 0)].rows += run
                topics[topic]![series]!.rated += rated
            }
            start = end
        }
        var result: [(String, [AggregateRow], String, String)] = []
        for topic in topics.keys.sorted() {
            let bySeries = topics[topic]!
            let best = bySeries.keys.sorted().max { a, b in bySeries[a]!.rated < bySeries[b]!.rated }!
            let chosen = bySeries[best]!.rows
            let sample = chosen[0]
            guard let iccs = sample.iccs else { continue }
            let name = "\(sample.indicator)_ICCS\(iccs.rawValue)"
            // Labels, with the ids in brackets for whoever looks them up.
            let what = variableLabels[sample.series] ?? sample.indicator.replacingOccurrences(of: "_", with: " ")
            let title = "\(what) (ICCS \(iccs.rawValue)\(self.iccs?.title(of: iccs).map { " " + $0 } ?? ""))"
            result.append(
                (name, chosen, title, "\(sample.series), rate per 100,000 population, world and regions with data"))
        }
        return result
    }

    /// SHA-256 of each reference file.
    static func referenceHashes(_ directory: String) throws -> [FileHash] {
        try ReferenceData.files.map { name in
            var hasher = SHA256()
            try FileInput.forEachChunk(directory + "/" + name) { hasher.update($0) }
            return FileHash(file: name, sha256: hasher.finalize())
        }
    }
}

/// trends.csv and one file per indicator, written a piece of lines at a time: each piece goes to both.
/// Used by one thread at a time.
final class TrendLineFiles {
    private let directory: String
    private let header: String
    private let all: AtomicFile.Writer
    private var current: (indicator: String, writer: AtomicFile.Writer)?
    /// The indicator files begun, relative to the directory, in the order written.
    private(set) var indicatorFiles: [String] = []

    init(directory: String, header: String) throws {
        self.directory = directory
        self.header = header
        all = try AtomicFile.Writer(path: directory + "/trends.csv")
        all.put(header)
    }

    /// Appends lines of `indicator` (pieces of one indicator come together).
    func put(_ bytes: [UInt8], indicator: String) throws {
        if current?.indicator != indicator {
            try current?.writer.commit()
            let name = "trends/\(try TrendOutputs.fileName(indicator)).csv"
            current = (indicator, try AtomicFile.Writer(path: directory + "/" + name))
            current!.writer.put(header)
            indicatorFiles.append(name)
        }
        all.put(bytes)
        current!.writer.put(bytes)
    }

    /// Puts every file in place.
    func commit() throws {
        try current?.writer.commit()
        try all.commit()
    }
}
