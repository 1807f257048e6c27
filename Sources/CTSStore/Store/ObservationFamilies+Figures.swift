import CTSCore

extension ObservationFamilies {
    /// What an aggregation needs to know of each place (reporter, country) of the store, worked out once
    /// for all families.
    public struct Places: Sendable {
        /// The aggregator's number of each place's country (-1: outside the registry).
        let country: [Int]
        /// Whether the place reports for its whole country (the reporter is the country).
        let whole: [Bool]
        /// Whether the place's country reports in parts (it has reporting units).
        let inParts: [Bool]
        let aggregator: Aggregator
        let units: [CountryRegistry.ReportingUnit]
    }

    /// The places of the store as `aggregator` and the reporting `units` see them.
    public func places(for aggregator: Aggregator, units: [CountryRegistry.ReportingUnit]) -> Places {
        let countriesInParts = Set(units.map(\.country))
        return Places(
            country: table.places.map { aggregator.countryNumber($0.iso3) },
            whole: table.places.map { $0.reporter == $0.iso3 },
            inParts: table.places.map { countriesInParts.contains($0.iso3) },
            aggregator: aggregator, units: units)
    }

    /// The series of family `index` (0 ..< count) with their countries' own figures, as
    /// `Aggregator.aggregate(family:)` takes them, and the number of observations they came from.
    ///
    /// The same figures `Aggregator.aggregate(_:)` would take from `observations(index)` with the
    /// countries formed from their reporting units (`Composites.derive`), in the same order, without
    /// making an `Observation` for each row: only the rows of countries that report in parts are made
    /// into observations, to be formed into their countries.
    public func figures(_ index: Int, places: Places) -> (series: [Aggregator.SeriesFigures], observations: Int) {
        var figures: [[Aggregator.Figure]] = []
        let family = read(index, places: places) { s, figure in
            while figures.count <= s { figures.append([]) }
            figures[s].append(figure)
        }
        let series = family.labels.indices.map { i in
            Aggregator.SeriesFigures(label: family.labels[i], figures: i < figures.count ? figures[i] : [])
        }
        return (series, family.observations)
    }

    /// A family read once (`read(_:places:_:)`): its series' labels, where each series' rows lie, and the
    /// figures formed from reporting units, so that its figures can then be taken a few series at a time
    /// (`forEachFigure(of:series:_:)`) without reading the whole family again.
    public struct Family: Sendable {
        /// Every series' label, numbered as first met.
        public let labels: [AggregateRow.Series]
        /// Observations read (rows and formed countries).
        public let observations: Int
        /// For each label, the rows of its series (one range per stored series with that key), in order.
        let rows: [[Range<Int>]]
        /// Figures of countries formed from their reporting units, by label, in order.
        let formed: [(series: Int, figure: Aggregator.Figure)]
    }

    /// Reads family `index`, calling `body` with each figure `figures` gives and the number of its series
    /// (the position of its label in the result). Nothing is kept but where each series lies.
    public func read(_ index: Int, places: Places, _ body: (_ series: Int, Aggregator.Figure) -> Void) -> Family {
        var labels: [AggregateRow.Series] = []
        // Series of the family by table number, and by key (two numbers may share a key).
        var seriesOf: [UInt32: Int] = [:]
        var byKey: [String: Int] = [:]
        func number(_ s: UInt32) -> Int {
            if let known = seriesOf[s] { return known }
            let t = table.series[Int(s)]
            let n = number(t.indicator, t.series, t.iccs, t.breakdown)
            seriesOf[s] = n
            return n
        }
        func number(_ indicator: String, _ name: String, _ iccs: ICCSCode?, _ breakdown: String) -> Int {
            let key = Observation.seriesKey(indicator: indicator, series: name, iccs: iccs, breakdown: breakdown)
            if let known = byKey[key] { return known }
            labels.append(AggregateRow.Series(indicator: indicator, series: name, iccs: iccs, breakdown: breakdown))
            byKey[key] = labels.count - 1
            return labels.count - 1
        }
        var parts: [Observation] = []
        var observations = 0
        // Rows of one stored series lie together (the family order sorts by series): one range each.
        var blocks: [(series: UInt32, rows: Range<Int>)] = []
        table.forEachRun(in: ranges[index]) { run in
            observations += 1
            let first = table.row(at: run.lowerBound)
            if let lastBlock = blocks.last, lastBlock.series == first.series {
                blocks[blocks.count - 1].rows = lastBlock.rows.lowerBound..<run.upperBound
            } else {
                blocks.append((first.series, run))
            }
            let place = Int(first.place)
            if places.inParts[place] { parts.append(table.observation(of: run)) }
            guard let figure = figure(run, first, places: places) else { return }
            body(number(first.series), figure)
        }
        var rows: [[Range<Int>]] = Array(repeating: [], count: labels.count)
        for block in blocks {
            guard let n = seriesOf[block.series] else { continue }  // no figure in it
            rows[n].append(block.rows)
        }
        var formed: [(series: Int, figure: Aggregator.Figure)] = []
        if !parts.isEmpty {
            for d in Composites.derive(parts, units: places.units) {
                observations += 1
                guard let value = Aggregator.Figure.taken(d.value, status: d.status) else { continue }
                let s = number(d.indicator, d.series, d.iccs, d.breakdown)
                let figure = Aggregator.Figure(
                    country: places.aggregator.countryNumber(d.iso3), year: d.year, value: value, status: d.status)
                formed.append((s, figure))
                body(s, figure)
            }
        }
        while rows.count < labels.count { rows.append([]) }
        return Family(labels: labels, observations: observations, rows: rows, formed: formed)
    }

    /// The figure of a run of rows, if its place is a whole country and it has one to aggregate.
    private func figure(_ run: Range<Int>, _ first: ObservationTable.Row, places: Places) -> Aggregator.Figure? {
        let place = Int(first.place)
        guard places.whole[place] else { return nil }
        let sum = table.sum(of: run)
        guard let value = Aggregator.Figure.taken(sum.value, status: sum.status) else { return nil }
        return Aggregator.Figure(country: places.country[place], year: Int(first.year), value: value, status: sum.status)
    }

    /// Calls `body` with the figures of the series numbered `series` in `family` (read by `read`), each
    /// series' in the order `read` met them: only their rows are read again.
    public func forEachFigure(
        of family: Family, series: [Int], places: Places, _ body: (_ series: Int, Aggregator.Figure) -> Void
    ) {
        for s in series {
            for range in family.rows[s] {
                table.forEachRun(in: range) { run in
                    if let figure = figure(run, table.row(at: run.lowerBound), places: places) { body(s, figure) }
                }
            }
        }
        let wanted = Set(series)
        for f in family.formed where wanted.contains(f.series) { body(f.series, f.figure) }
    }
}
