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
        var series: [Aggregator.SeriesFigures] = []
        // Series of the family by table number, and by key (two numbers may share a key).
        var seriesOf: [UInt32: Int] = [:]
        var byKey: [String: Int] = [:]
        func number(_ indicator: String, _ name: String, _ iccs: ICCSCode?, _ breakdown: String) -> Int {
            let key = Observation.seriesKey(indicator: indicator, series: name, iccs: iccs, breakdown: breakdown)
            if let known = byKey[key] { return known }
            series.append(
                Aggregator.SeriesFigures(
                    label: AggregateRow.Series(indicator: indicator, series: name, iccs: iccs, breakdown: breakdown)))
            byKey[key] = series.count - 1
            return series.count - 1
        }
        var parts: [Observation] = []
        var observations = 0
        var last: (number: UInt32, index: Int)?
        table.forEachRun(in: ranges[index]) { run in
            observations += 1
            let first = table.row(at: run.lowerBound)
            let place = Int(first.place)
            if places.inParts[place] { parts.append(table.observation(of: run)) }
            guard places.whole[place], first.hasValue else { return }
            let sum = table.sum(of: run)
            guard let value = sum.value else { return }
            if last?.number != first.series {
                let s = table.series[Int(first.series)]
                let index = seriesOf[first.series] ?? number(s.indicator, s.series, s.iccs, s.breakdown)
                seriesOf[first.series] = index
                last = (first.series, index)
            }
            series[last!.index].figures.append(
                Aggregator.Figure(
                    country: places.country[place], year: Int(first.year), value: value,
                    estimated: sum.status == .estimated))
        }
        if !parts.isEmpty {
            for d in Composites.derive(parts, units: places.units) {
                observations += 1
                series[number(d.indicator, d.series, d.iccs, d.breakdown)].figures.append(
                    Aggregator.Figure(
                        country: places.aggregator.countryNumber(d.iso3), year: d.year, value: d.value!,
                        estimated: d.status == .estimated))
            }
        }
        return (series, observations)
    }
}
