import CTSCore

/// What `ReturnReader` holds while a return streams through: the row decoder, the packed cells, the
/// findings so far and the counts.
struct ReturnReaderState {
    enum Mode {
        /// Keep every cell; report reading problems only.
        case read
        /// Keep the return's cells (every cell too, when asked), and check them all at the end.
        case check(keepingCells: Bool, ReturnHistory?)
        /// Check each country when its rows end, then let go of its cells.
        case checkByCountry(ReturnHistory?)
        /// Hand each cell over as it is read, keeping none; reading problems only.
        case stream((consuming ReturnCell, PackedCellKey) throws -> Void)
    }

    /// An error thrown by the `stream` receiver: passed on as it is, never turned into a finding.
    struct ReceiverError: Error {
        var error: any Error
    }

    /// Thrown when a country's rows come back after another country's: the return is checked again whole.
    struct CountryAgain: Error {}

    let name: String
    let reader: ReturnReader
    var decoder: ReturnRowDecoder?
    var table: CellTable?
    /// Whether `decoder` and `table` are set: testing the optionals themselves would copy them per row.
    var hasDecoder = false
    var hasTable = false
    var validator: Validator?
    /// Checks finished countries on a second thread (country-by-country checking only).
    var background: CountryChecks?
    /// Every cell in file order, when the mode keeps them.
    var all: [PackedCell] = []
    var findings: [Finding] = []
    /// Keeps the first findings of each rule and counts the rest.
    var limit = FindingLimit()
    var rows = 0
    var cellCount = 0
    var countrySet = Set<Int>()
    var yearSet = Set<Int>()
    var current = -1
    var finished = Set<Int>()
    var lastCountry = -1
    var lastYear = -1
    /// What the mode asks for, read once: matching the enum per row would copy its payload.
    let receiver: ((consuming ReturnCell, PackedCellKey) throws -> Void)?
    let history: ReturnHistory?
    let checks: Bool
    let byCountry: Bool
    let keeps: Bool

    init(name: String, reader: ReturnReader, mode: Mode) {
        self.name = name
        self.reader = reader
        switch mode {
        case .read: (receiver, history, checks, byCountry, keeps) = (nil, nil, false, false, true)
        case .check(let keeping, let h): (receiver, history, checks, byCountry, keeps) = (nil, h, true, false, keeping)
        case .checkByCountry(let h): (receiver, history, checks, byCountry, keeps) = (nil, h, true, true, false)
        case .stream(let receive): (receiver, history, checks, byCountry, keeps) = (receive, nil, false, false, false)
        }
    }

    mutating func consume(_ record: CSVRawRecord) throws {
        guard hasDecoder else {
            let d = ReturnRowDecoder(
                header: record.record.fields, file: name, catalog: reader.catalog, countries: reader.countries)
            note(d.headerFindings)
            decoder = d
            hasDecoder = true
            start()
            return
        }
        rows += 1
        // In place: the decoder and the table are mutated where they are, never copied per row.
        if hasTable,
            let packed = decoder!.decodePacked(
                record.bytes, ends: record.ends, separator: record.separator, line: record.line, into: &table!)
        {
            try add(packed)
            return
        }
        let before = decoder!.headerFindings.count
        let (cell, problems) = decoder!.decode(record.record.fields, line: record.line)
        note(Array(decoder!.headerFindings.dropFirst(before)))
        note(problems)
        if !hasTable { start() }
        if let cell, let packed = table?.pack(cell) { try add(packed) }
    }

    /// Sets up the cell table once the questionnaire is known.
    private mutating func start() {
        guard table == nil, let decoder, let q = decoder.questionnaire else { return }
        table = CellTable(
            coder: CellCoder(questionnaire: q), file: name, header: decoder.header, fallback: history?.lookup)
        validator = Validator(
            questionnaire: q, history: history?.lookup,
            population: reader.population.map { PopulationBound(population: $0, countries: reader.countries) })
        if byCountry { background = CountryChecks { [validator] in validator!.check($0) } }
        hasTable = true
    }

    private mutating func add(_ packed: PackedCell) throws {
        var cell = packed
        let country = cell.key.country
        cellCount += 1
        // Rows come in runs of one country and year: the sets are touched only when either changes.
        if country != lastCountry || cell.key.year != lastYear {
            // A reporter met for the first time: its stored figures are fetched now, on this thread, before
            // any of its cells is checked.
            if countrySet.insert(country).inserted, let history {
                do {
                    try history.prepare(
                        table!.coder.countries[country],
                        keepingAtMost: byCountry ? ReturnHistory.countriesInFlight : nil)
                } catch {
                    throw ReceiverError(error: error)
                }
            }
            yearSet.insert(cell.key.year)
            lastCountry = country
            lastYear = cell.key.year
        }
        if let receive = receiver {
            let key = cell.key
            do { try receive(table!.take(&cell), key) } catch { throw ReceiverError(error: error) }
            return
        }
        if byCountry && country != current {
            if current >= 0 {
                background!.submit(table!.handOver(keeping: &cell), at: findings.count)
                finished.insert(current)
            }
            if finished.contains(country) { throw CountryAgain() }
            current = country
        }
        if keeps { all.append(cell) }
        if let first = table!.insert(cell), checks {
            note([Validator.duplicate(table!.rebuild(cell), first: table!.cell(at: first))])
        }
    }

    /// Adds the findings the limit keeps.
    private mutating func note(_ new: [Finding]) {
        for f in new where limit.admit(f) { findings.append(f) }
    }

    mutating func result(dialect: CSVDialect?) -> ParsedReturn {
        var all = background?.merge(into: findings, limit: &limit) ?? findings
        if decoder != nil, rows == 0, !all.contains(where: { $0.severity == .error }) {
            all.append(
                Finding(
                    ruleID: "file.no-rows", severity: .error,
                    message: "The return has a header but no data rows.",
                    location: SourceLocation(file: name, line: 1, column: 1)))
        }
        if checks, let table, let validator { all += limit.admit(validator.check(table)) }
        let coder = table?.coder
        return ParsedReturn(
            file: name, dialect: dialect, questionnaire: decoder?.questionnaire,
            cells: table.map { t in self.all.map(t.rebuild) } ?? [], findings: all, omitted: limit.omitted,
            rowCount: rows, cellCount: cellCount,
            countries: countrySet.map { coder!.countries[$0] }.sorted(), years: yearSet.sorted())
    }
}
