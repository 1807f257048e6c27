import ArgumentParser
import CTSCore
import CTSIO
import CTSStore

/// Options that shape an aggregation.
struct AggregationArguments: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How a country's missing years are filled: \(CompletionMethods.names.joined(separator: " or ")).",
            discussion: CompletionMethods.all(carryYears: 2).map { "\($0.name): \($0.summary)" }.joined(separator: "; ")))
    var method = CompletionMethods.names[0]

    @Option(help: "Years before the first and after the last observation that carry the nearest observed rate (interpolate).")
    var carryYears = 2

    @Option(help: "Publish a group-year only when reporting countries cover at least this share of its population.")
    var coverage = 2.0 / 3.0

    @Option(help: "The year whose rate is 100 in the index column (default: the first year the world is published).")
    var baseYear: Int?

    @Option(help: "First year of the tables (default: the first year with data).")
    var from: Int?

    @Option(help: "Last year of the tables (default: the last year with data).")
    var to: Int?

    @Option(help: "Custom groupings: a CSV with columns group_id, group_name, iso3.")
    var groups: String?

    @Option(help: "Use the store as it was at the end of this date (YYYY-MM-DD) or at this UTC time.")
    var asOf: String?

    func validate() throws {
        guard carryYears >= 0 else { throw ValidationError("--carry-years must be 0 or more.") }
        guard CompletionMethods.names.contains(method) else {
            throw ValidationError(
                "--method \(method) is not a method; use \(CompletionMethods.names.joined(separator: " or ")).")
        }
        guard coverage >= 0 && coverage <= 1 else { throw ValidationError("--coverage must be between 0 and 1.") }
        if let from, let to, from > to { throw ValidationError("--from must not be after --to.") }
        // Every year asked for becomes a row per group and series: a typing slip such as --to 100000000
        // would take more memory than the machine has.
        for (name, year) in [("--from", from), ("--to", to), ("--base-year", baseYear)] {
            if let year, !AggregationOptions.years.contains(year) {
                throw ValidationError(
                    "\(name) \(year) is outside \(AggregationOptions.years.lowerBound)–"
                        + "\(AggregationOptions.years.upperBound); give a year such as 2015.")
            }
        }
        if let asOf, Timestamp.parse(asOf) == nil {
            throw ValidationError(
                "--as-of must be a real date or time, such as 2026-06-30 or 2026-06-30T12:00:00Z, not \(asOf).")
        }
    }

    var options: AggregationOptions {
        var o = AggregationOptions()
        o.method = method
        o.carryYears = carryYears
        o.coverageThreshold = coverage
        o.baseYear = baseYear
        o.firstYear = from
        o.lastYear = to
        return o
    }

    /// Aggregates the store into trend tables, charts and metadata in `output`; returns a one-line summary.
    func run(
        store: Store, storePath: String, reference: ReferenceData, referenceDirectory: String,
        questionnaire: Questionnaire?, output: String, reports: [TrendIndex.ReportLink] = [],
        exporting: Bool = false
    ) throws -> AggregationSummary {
        let codeLists = questionnaire?.codeLists ?? []
        let dimensions = codeLists.map(\.id)
        let asOfTime = asOf.flatMap { Timestamp.parse($0) }
        let custom = try groups.map { try CustomGroups.load(path: $0, countries: reference.countries) } ?? []
        let aggregator = Aggregator(
            countries: reference.countries.countries, population: reference.population, custom: custom,
            breakdowns: BreakdownTree(codeLists: codeLists), options: options)
        // One snapshot of the store: figures, vintage and submissions agree even if a return is ingested
        // meanwhile.
        var (rows, observationCount, statuses, vintage, submissions) = try store.db.readTransaction {
            let (rows, count, statuses, vintage) = try Self.aggregate(
                store, asOf: asOfTime, with: aggregator, units: reference.countries.reportingUnits)
            return (rows, count, statuses, vintage, try store.submissions(asOf: asOfTime))
        }
        // The families' points and figures are gone: their pages go back before the tables are written.
        FreedMemory.release()
        TrendTable.sort(&rows)
        let hashes = try TrendOutputs.referenceHashes(referenceDirectory)
        // Written aside, then put in place together: a failure leaves the previous outputs whole.
        let staging = try OutputStaging(output: output)
        var outputs = TrendOutputs(directory: staging.path)
        outputs.iccs = reference.iccs
        for table in questionnaire?.tables ?? [] {
            for v in table.variables { outputs.variableLabels["\(table.id).\(v.id)"] = v.label }
        }
        outputs.withObservations = exporting || FileInput.isReadableFile(output + "/observations.csv")
        let files = try outputs.write(
            rows, dimensions: dimensions, method: options.method, reports: reports
        ) {
            files in
            TrendOutputs.Metadata(
                store: .init(
                    path: storePath, asOf: asOfTime, submissions: submissions.count,
                    vintage: vintage),
                questionnaires: Array(Set(submissions.map(\.questionnaire))).sorted(), options: options,
                customGroups: groups, inputs: submissions, reference: hashes, files: files,
                series: TrendOutputs.seriesCount(rows),
                rows: rows.count, figureStatuses: statuses)
        }
        try staging.publish(["trends", "charts", "trends.csv", "trends_metadata.json", "index.html"])
        try DataPackage.write(folder: output, dimensions: dimensions)
        let published = rows.reduce(0) { $1.publication == .published ? $0 + 1 : $0 }
        return AggregationSummary(
            observations: observationCount, groupYears: rows.count, published: published,
            suppressed: rows.count - published, files: files.count, output: output)
    }

    /// The trend rows of every family of series in the store, in family order, the number of observations
    /// aggregated and the store's vintage fingerprint.
    ///
    /// Families of series never meet, so they are aggregated side by side, one per core. The rows are put
    /// together in family order, so the result does not depend on the scheduling. The store is read on
    /// this thread only, before the families are aggregated; its observations are held (32 bytes each)
    /// only while this runs.
    static func aggregate(
        _ store: Store, asOf: String?, with aggregator: Aggregator, units: [CountryRegistry.ReportingUnit]
    ) throws -> (rows: [AggregateRow], observations: Int, statuses: [String: Int], vintage: String) {
        let vintage = try store.contentHash(asOf: asOf)
        var done = try { () throws -> [(rows: [[AggregateRow]], observations: Int, statuses: [ObservationStatus: Int])] in
            // The store's observations are let go as soon as every family is done.
            let families = try store.families(asOf: asOf)
            let places = families.places(for: aggregator, units: units)
            return Parallel.map(families.count) { index in
                // Figures are taken from the store's rows as they are: no observation is made for them.
                // A first pass for the years and statuses; then the family's figures a set of linked
                // variables at a time (`Aggregator.linkedByICCS`), so memory holds one set's, not the
                // whole table's.
                var statuses: [ObservationStatus: Int] = [:]
                var (low, high) = (Int.max, Int.min)
                let family = families.read(index, places: places) { _, f in
                    (low, high) = (min(low, f.year), max(high, f.year))
                    if f.country >= 0 { statuses[f.status, default: 0] += 1 }
                }
                let observations = family.observations
                guard let years = aggregator.years(low: low, high: high) else { return ([], observations, statuses) }
                let pieces = Aggregator.linkedByICCS(family.labels).map { set in
                    var position = [Int](repeating: -1, count: family.labels.count)
                    for (k, s) in set.enumerated() { position[s] = k }
                    var series = set.map { Aggregator.SeriesFigures(label: family.labels[$0]) }
                    families.forEachFigure(of: family, series: set, places: places) { s, f in
                        series[position[s]].figures.append(f)
                    }
                    return aggregator.aggregate(linked: series, years: years)
                }
                return (pieces, observations, statuses)
            }
        }()
        var rows: [AggregateRow] = []
        rows.reserveCapacity(done.reduce(0) { $0 + $1.rows.reduce(0) { $0 + $1.count } })
        var observations = 0
        var statuses: [String: Int] = [:]
        for i in done.indices {
            for j in done[i].rows.indices {
                rows += done[i].rows[j]
                done[i].rows[j] = []
            }
            // The pieces copied are handed back as the table grows, so that it is not held twice.
            FreedMemory.release()
            observations += done[i].observations
            for (status, count) in done[i].statuses { statuses[status.rawValue, default: 0] += count }
            done[i].rows = []  // each family's rows are held once
        }
        return (rows, observations, statuses, vintage)
    }
}

/// `cts aggregate`: regional trend tables from the store.
struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Compute regional trend tables, charts and their metadata from the store.",
        discussion: """
            For every indicator, ICCS code, breakdown and year: the world, M49 regions, sub-regions and \
            intermediate regions (and custom groups): total, rate per 100,000, countries and reporting \
            countries, population coverage, imputed share, index and change. Method: docs/METHODOLOGY.md.

            Examples:
              cts aggregate
              cts aggregate --as-of 2026-06-30 --base-year 2015 --groups my-groups.csv
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var aggregation: AggregationArguments

    @Option(help: "Folder for trends.csv, trends/, charts/ and trends_metadata.json.")
    var output = "outputs"

    func run() throws {
        let reference = try Workspace.loadReference(workspace.reference)
        let questionnaire = workspace.defaultQuestionnaire(reference)
        let summary = try aggregation.run(
            store: try store.openExisting(), storePath: store.db, reference: reference,
            referenceDirectory: workspace.reference, questionnaire: questionnaire, output: output)
        Console.current.out(summary.line + "\n")
    }
}

/// What an aggregation wrote, for people (`line`) and programs (the rest).
struct AggregationSummary: Encodable {
    var observations: Int
    var groupYears: Int
    var published: Int
    var suppressed: Int
    var files: Int
    var output: String

    var line: String {
        "Aggregated \(observations) observations into \(groupYears) group-years "
            + "(\(published) published, \(suppressed) suppressed); wrote \(files) files to \(output)."
    }
}
