import Foundation

extension Validator {
    /// The return's cells against the reporters' stored series (`history`): a cell that replaces a
    /// stored figure with another is a revision (a warning when it moves the figure by more than the
    /// questionnaire's threshold or takes the figure away); several years of one series revised at once
    /// suggest a break in series (status B); and a new or revised figure far outside its series is an
    /// outlier (`OutlierTest`). O(1) for a cell the store holds unchanged (a re-sent history costs little);
    /// O(years log years) for a new or revised one.
    func historyChecks(_ table: CellTable) -> [Finding] {
        guard let history else { return [] }
        var check = HistoryCheck(questionnaire: questionnaire, population: population, table: table, history: history)
        for cell in table.cells where !cell.isInvalid { check.look(at: cell) }
        return check.findings + check.breaks()
    }
}

/// The state of `historyChecks` over one table of cells.
struct HistoryCheck {
    let questionnaire: Questionnaire
    let population: PopulationBound?
    let table: CellTable
    let history: any HistoryLookup
    var findings: [Finding] = []
    /// The store's series number by the return's variable and breakdown (country and year 0); -1: none.
    private var numbers: [PackedCellKey: Int] = [:]
    private var reporter: (country: Int, figures: (any StoredReporter)?, persons: Population.Country?)?
    /// The stored figures of the series met, by series number (the reporter's: reset with it).
    private var seriesFigures: [Int: [StoredFigure]] = [:]
    /// Large revisions without status B, by country and series (year 0), for `breaks()`.
    private var large: [PackedCellKey: [(cell: ReturnCell, change: Double?)]] = [:]

    init(questionnaire: Questionnaire, population: PopulationBound?, table: CellTable, history: any HistoryLookup) {
        self.questionnaire = questionnaire
        self.population = population
        self.table = table
        self.history = history
    }

    private var settings: HistorySettings { questionnaire.history }

    mutating func look(at cell: PackedCell) {
        let k = cell.key
        if reporter?.country != k.country {
            let code = table.coder.countries[k.country]
            reporter = (k.country, history.reporter(code), population?.of(code).persons)
            seriesFigures.removeAll(keepingCapacity: true)
        }
        guard let stored = reporter!.figures, let number = seriesNumber(k, stored) else { return }
        if let old = stored.storedValue(series: number, year: k.year) {
            let value: Double? = cell.hasValue ? cell.value : nil
            if !cell.isWithdrawal, value == old.value, cell.status == old.status { return }  // unchanged
            revision(cell, replacing: stored.figure(series: number, year: k.year)!)
        }
        guard !cell.isWithdrawal, cell.hasValue, cell.status != .breakInSeries else { return }
        if seriesFigures[number] == nil { seriesFigures[number] = stored.figures(series: number) }
        outlier(cell, series: seriesFigures[number]!)
    }

    private mutating func seriesNumber(_ k: PackedCellKey, _ stored: any StoredReporter) -> Int? {
        let series = PackedCellKey(head: k.head & 0xFF_FFFF, breakdown: k.breakdown)
        if let n = numbers[series] { return n < 0 ? nil : n }
        let n = stored.seriesNumber(table.coder.decode(k))
        numbers[series] = n ?? -1
        return n
    }

    // MARK: Revisions

    private mutating func revision(_ packed: PackedCell, replacing old: StoredFigure) {
        let cell = table.rebuild(packed)
        let new: Double? = cell.isWithdrawal ? nil : cell.value
        var change: Double?
        if let o = old.value, let n = new, o != 0 { change = (n - o) / Swift.abs(o) }
        let was = "the stored \(cell.key.year) figure \(old.shown), from \(old.source) line \(old.line),"
        let shownNew = StoredFigure.shown(new, rawValue: cell.rawValue, status: cell.status)
        let rule: String
        var severity = Severity.info
        let message: String
        if cell.isWithdrawal {
            rule = "revision.withdrawn"
            message = "Withdraws \(was.dropLast())."
        } else if old.value != nil, new == nil {
            rule = "revision.to-missing"
            severity = .warning
            message =
                "Replaces \(was) with no figure (status \(cell.status.rawValue): \(cell.status.meaning)). A figure "
                + "once given is rarely lost: check the row, or say in the note why it is no longer available."
        } else if let o = old.value, let n = new, change.map({ Swift.abs($0) > settings.revisionThreshold }) ?? (n != o) {
            rule = "revision.large"
            severity = .warning
            message =
                "Revises \(was) to \(shownNew)\(Revision.percent(change).map { " (\($0))" } ?? ""), more than the "
                + "\(Revision.percent(settings.revisionThreshold, signed: false)!) a revision may move a figure unremarked. "
                + "Confirm the figure and say why in the note; if the way it is counted changed, mark it B (break in series)."
            if cell.status != .breakInSeries {
                let series = table.coder.setting(packed.key, year: 0)
                large[series, default: []].append((cell, change))
            }
        } else {
            rule = "revision.changed"
            message = "Revises \(was) to \(shownNew)\(Revision.percent(change).map { " (\($0))" } ?? "")."
        }
        findings.append(
            Finding(
                ruleID: rule, severity: severity, kind: .revision, message: message, location: cell.location,
                cell: cell.key,
                related: [SourceLocation(file: "stored " + old.source, line: old.line, column: 1)],
                revision: Revision(
                    old: old.value == nil ? "" : old.rawValue, oldStatus: old.status.rawValue,
                    new: cell.isWithdrawal ? "" : cell.rawValue, newStatus: cell.status.rawValue, change: change,
                    replaces: old.source)))
    }

    /// A series of one country with large revisions in two years or more, none marked B: one finding
    /// each, at the earliest year revised.
    func breaks() -> [Finding] {
        large.values.filter { $0.count >= 2 }.map { revised in
            let sorted = revised.sorted { $0.cell.key.year < $1.cell.key.year }
            let changes = sorted.compactMap(\.change)
            let range =
                changes.isEmpty
                ? "" : ", by \(Revision.percent(changes.min())!) to \(Revision.percent(changes.max())!)"
            let years = sorted.map { String($0.cell.key.year) }.joined(separator: ", ")
            return Finding(
                ruleID: "revision.series-break", severity: .warning, kind: .revision,
                message:
                    "This return revises \(sorted.count) years of this series at once (\(years)\(range)). "
                    + "Revising several years together usually means a break in series: if the way the figure is "
                    + "counted changed, mark the revised figures with status B and say what changed in the note.",
                location: sorted[0].cell.location, cell: sorted[0].cell.key,
                related: sorted.dropFirst().map(\.cell.location))
        }
    }

    // MARK: Outliers

    private mutating func outlier(_ packed: PackedCell, series stored: [StoredFigure]) {
        let k = packed.key
        let year = k.year
        let test = settings.outliers
        // The year before: from the return when it holds it, else from the store.
        var previous: (value: Double, location: SourceLocation)?
        if let i = table.position(of: table.coder.setting(k, year: year - 1)), table.cells[i].hasValue {
            previous = (table.cells[i].value, table.cell(at: i).location)
        } else if let f = stored.last(where: { $0.year == year - 1 }), let v = f.value {
            previous = (v, SourceLocation(file: "stored " + f.source, line: f.line, column: 1))
        }
        let others = stored.filter { $0.year != year && $0.value != nil }
        // The level method compares rates per 100,000 when every year's population is known.
        let persons = reporter?.persons
        let rates =
            test.method == .level && persons != nil
            && (others.map(\.year) + [year]).allSatisfy { persons!.persons($0) != nil }
        func measured(_ y: Int, _ v: Double) -> Double { rates ? v / Double(persons!.persons(y)!) * 100_000 : v }
        guard
            let result = test.test(
                year: year, value: measured(year, packed.value),
                previous: previous.map { measured(year - 1, $0.value) },
                history: others.map { OutlierTest.Point(year: $0.year, value: measured($0.year, $0.value!)) }),
            result.isOutlier
        else { return }
        let cell = table.rebuild(packed)
        let score = String(format: "%.1f", result.score)
        let years = "\(result.years.lowerBound)–\(result.years.upperBound)"
        let tail =
            " (robust z-score \(score), threshold \(test.threshold)). Check the figure; if it is right, "
            + "say why in the note."
        let message: String
        switch test.method {
        case .change:
            let p = previous!
            let actual = p.value == 0 ? nil : (packed.value - p.value) / p.value
            message =
                "\(year): \(StoredFigure.grouped(packed.value)) is \(Revision.percent(actual) ?? "up from 0") on "
                + "\(year - 1) (\(StoredFigure.grouped(p.value))). Over the stored years \(years) the figure moved by "
                + "\(Revision.percent(expm1(result.low))!) to \(Revision.percent(expm1(result.high))!) a year (median "
                + "\(Revision.percent(expm1(result.median))!)): this change lies far outside that" + tail
        case .level:
            let unit = rates ? " per 100,000 inhabitants" : ""
            message =
                "\(year): \(Self.number(expm1(result.measure)))\(unit) lies far outside the stored years \(years), "
                + "which ranged from \(Self.number(expm1(result.low))) to \(Self.number(expm1(result.high)))\(unit) "
                + "(median \(Self.number(expm1(result.median))))" + tail
        }
        findings.append(
            Finding(
                ruleID: "history.outlier", severity: .warning, message: message, location: cell.location,
                cell: cell.key, related: previous.map { [$0.location] } ?? []))
    }


    /// A figure or rate for a message: grouped digits, or two decimals below 1,000.
    static func number(_ x: Double) -> String {
        x.rounded() == x || Swift.abs(x) >= 1000 ? StoredFigure.grouped(x.rounded()) : String(format: "%.2f", x)
    }
}
