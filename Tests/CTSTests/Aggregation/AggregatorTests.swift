import CTSCLI
import CTSCore
import CTSIO
import CTSStore
import Foundation
import Testing

/// A small world with hand-computable figures: four countries of one million people each, so a count of
/// 100 is a rate of 10 per 100,000.
///   region R1 = sub-region S1 {AAA, BBB} + sub-region S2 {CCC};  region R2 = sub-region S3 {DDD}
struct SmallWorld {
    let countries: [CountryRegistry.Country] = [
        ("AAA", "S1", "R1"), ("BBB", "S1", "R1"), ("CCC", "S2", "R1"), ("DDD", "S3", "R2"),
    ].map { iso3, sub, region in
        CountryRegistry.Country(
            iso3: iso3, iso2: "", m49: "", name: iso3, region: .init(code: region, name: region),
            subregion: .init(code: sub, name: sub))
    }

    var population: Population {
        var p = Population()
        for c in countries { for year in 2000...2030 { p.set(c.iso3, year, 1_000_000) } }
        return p
    }

    func obs(_ iso3: String, _ year: Int, _ value: Double, status: ObservationStatus = .normal) -> Observation {
        Observation(
            reporter: iso3, iso3: iso3, m49: "", year: year, indicator: "victims", series: "homicide_victims.homicide",
            iccs: ICCSCode("0101"), breakdown: "sex=_T", value: value, status: status)
    }

    func run(_ observations: [Observation], _ configure: (inout AggregationOptions) -> Void = { _ in })
        -> [AggregateRow]
    {
        var options = AggregationOptions()
        configure(&options)
        return Aggregator(countries: countries, population: population, options: options).rows(observations)
    }
}

/// Equal up to floating-point rounding.
func near(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= 1e-9 * max(1, abs(b))
}

@Suite struct AggregatorTests {
    let world = SmallWorld()

    func row(_ rows: [AggregateRow], _ code: String, _ year: Int) -> AggregateRow {
        rows.first { $0.groupCode == code && $0.year == year }!
    }

    /// Years asked for outside the figures leave nothing to publish; they used to stop the program (a
    /// range from 2030 to 2011).
    @Test func yearsAfterEveryFigureGiveNoRows() {
        let figures = [world.obs("AAA", 2010, 100), world.obs("AAA", 2011, 110)]
        #expect(world.run(figures) { $0.firstYear = 2030 }.isEmpty)
        #expect(world.run(figures) { $0.lastYear = 2005 }.isEmpty)
        #expect(world.run(figures) { $0.firstYear = 2011 }.allSatisfy { $0.year == 2011 })
        #expect(Aggregator(countries: world.countries, population: world.population).aggregate(family: []).isEmpty)
    }

    @Test func interpolationOnTheRateBetweenObservedYears() {
        var p = Population()
        p.set("AAA", 2010, 1_000_000)
        p.set("AAA", 2011, 2_000_000)
        p.set("AAA", 2012, 1_000_000)
        let s = CountrySeries.complete(
            observed: [2010: (100, false), 2012: (300, false)], population: { p.persons("AAA", $0) },
            years: 2010...2012, carryYears: 0)
        // Rates 10 and 30 → 20 in 2011; with two million people that is 400, not the mean count 200.
        #expect(s.points[2011] == .filled(count: 400, source: .interpolated, yearsAway: 1))
        #expect(s.points[2011]?.low == 0.95 && s.points[2011]?.high == 1.05)
    }

    @Test func carryAtMostNYearsThenImputeFromTheSubregion() {
        let rows = world.run(
            [
                world.obs("AAA", 2010, 100), world.obs("AAA", 2012, 300), world.obs("BBB", 2014, 50),
                world.obs("CCC", 2010, 10), world.obs("DDD", 2010, 40),
            ]) { $0.carryYears = 1 }
        // S1 in 2013: AAA carried from 2012 (300); BBB carried back from 2014 (50) → 350.
        #expect(near(row(rows, "S1", 2013).computedTotal, 350))
        // S1 in 2011: AAA interpolated (200); BBB has nothing near → imputed from S1's reporters. AAA is
        // interpolated, not observed, but still counts as a reporter of a rate for imputation (20).
        #expect(near(row(rows, "S1", 2011).computedTotal, 400))
        // S2 (CCC alone) in 2014: CCC's last figure is 2010, too far to carry; S2 has no reporter, so
        // R1's reporters' rate is used: AAA none (2012 + 1 < 2014), BBB 50 → rate 5 → 50.
        #expect(near(row(rows, "S2", 2014).computedTotal, 50))
        #expect(row(rows, "S2", 2014).imputedShare == 100)
        // The world in 2010 (the worked example of docs/METHODOLOGY.md): BBB imputed from AAA's rate.
        let w = row(rows, "001", 2010)
        #expect(near(w.total, 250) && w.coverage == 75 && near(w.imputedShare, 40) && w.status == .estimated)
        #expect(near(row(rows, "R2", 2010).total, 40) && row(rows, "R2", 2010).status == .normal)
    }

    @Test func coverageThresholdSuppressesAndSaysWhy() {
        let rows = world.run([world.obs("AAA", 2010, 100), world.obs("BBB", 2010, 100), world.obs("CCC", 2010, 100)])
        let r1 = row(rows, "R1", 2010)
        #expect(r1.publication == .published && r1.total == 300 && r1.rate == 10 && r1.status == .normal)
        // The world: 3 of 4 equal populations reported = 75% ≥ 2/3 → published, with DDD imputed (E).
        let w = row(rows, "001", 2010)
        #expect(w.publication == .published && w.total == 400 && w.status == .estimated)
        #expect(w.coverage == 75 && w.imputedShare == 25 && w.reporting == 3 && w.countries == 4)
        // R2 (DDD only) reported nothing: 0% coverage → suppressed, yet computed from the world's rate.
        let r2 = row(rows, "R2", 2010)
        #expect(r2.publication == .lowCoverage && r2.total == nil && r2.rate == nil && r2.computedTotal == 100)
        let strict = world.run([world.obs("AAA", 2010, 100), world.obs("BBB", 2010, 100), world.obs("CCC", 2010, 100)])
        {
            $0.coverageThreshold = 0.8
        }
        #expect(row(strict, "001", 2010).publication == .lowCoverage)
    }

    @Test func indexAndChangeOnTheRate() {
        let data = [2010, 2011, 2012].flatMap { year in
            ["AAA", "BBB", "CCC", "DDD"].map { world.obs($0, year, Double(100 + (year - 2010) * 50)) }
        }
        let rows = world.run(data) { $0.baseYear = 2011 }
        #expect(near(row(rows, "001", 2011).index, 100))
        #expect(near(row(rows, "001", 2012).index, 200.0 / 150.0 * 100))
        #expect(row(rows, "001", 2010).change == nil)
        #expect(near(row(rows, "001", 2011).change, 50))
        let firstYearBase = world.run(data)
        #expect(near(row(firstYearBase, "001", 2010).index, 100))
    }

    /// M (cannot exist there) is a reported zero; K (counted in another category) is 0, neither imputed
    /// nor reporting, and the row counts it. Before, both were imputed at the neighbours' rate.
    @Test func statusMIsAReportedZeroAndKIsCountedApart() {
        let data = [
            world.obs("AAA", 2010, 100), world.obs("CCC", 2010, 100), world.obs("DDD", 2010, 100),
            Observation(
                reporter: "BBB", iso3: "BBB", m49: "", year: 2010, indicator: "victims",
                series: "homicide_victims.homicide", iccs: ICCSCode("0101"), breakdown: "sex=_T", value: nil,
                status: .notApplicable),
        ]
        let m = row(world.run(data), "S1", 2010)
        #expect(m.total == 100 && m.reporting == 2 && m.coverage == 100 && m.elsewhere == 0)
        var k = data
        k[3].status = .includedElsewhere
        let rows = world.run(k)
        let s1 = row(rows, "S1", 2010)
        // BBB is 0 and not imputed from AAA (which would give 200); it does not report: 50% coverage.
        #expect(s1.computedTotal == 100 && s1.reporting == 1 && s1.elsewhere == 1 && s1.coverage == 50)
        #expect(row(rows, "001", 2010).elsewhere == 1 && row(rows, "001", 2010).total == 300)
        // Without a status the figure is missing and imputed, as before.
        var l = data
        l[3].status = .notCollected
        #expect(row(world.run(l), "S1", 2010).computedTotal == 200)
    }

    /// UNODC's method: every missing year an average of all the country's reported rates, the weight
    /// halving with each year of distance; nothing left for the sub-region while the country reported once.
    @Test func theUNODCMethodAveragesEveryReportedYear() {
        let data = [world.obs("CCC", 2010, 100), world.obs("CCC", 2013, 200), world.obs("AAA", 2025, 1)]
        let rows = world.run(data) { $0.method = "unodc" }
        func s2(_ year: Int) -> Double { row(rows, "S2", year).computedTotal }
        // 2011: (0.5 × 10 + 0.25 × 20) / 0.75 = 13.33 per 100,000.
        #expect(near(s2(2011), 133.33333333333334))
        // 2020: weights 1/1024 and 1/128: (10/1024 + 20/128) / (1/1024 + 1/128) = 18.89.
        #expect(near(s2(2020), (10.0 / 1024 + 20.0 / 128) / (1.0 / 1024 + 1.0 / 128) * 10))
        #expect(row(rows, "S2", 2020).imputedShare == 100 && row(rows, "S2", 2013).imputedShare == 0)
        // The default method carries 2013 two years, then takes R1's reporters' rate (AAA: none till 2025).
        let interpolated = world.run(data)
        #expect(row(interpolated, "S2", 2015).computedTotal == 200)
        #expect(row(interpolated, "S2", 2020).publication == .noData)
    }

    @Test func theMethodIsChosenAndRecorded() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        #expect(runCTS(["ingest", Repo.path("submissions/KEN-2020.csv"), "--db", db]).status == 0)
        let refused = runCTS(["aggregate", "--db", db, "--method", "guess", "--output", dir.path + "/x"])
        #expect(refused.status != 0 && refused.err.contains("--method guess is not a method; use interpolate or unodc"))
        #expect(runCTS(["aggregate", "--db", db, "--method", "unodc", "--output", dir.path + "/out"]).status == 0)
        let metadata = try String(contentsOfFile: dir.path + "/out/trends_metadata.json", encoding: .utf8)
        #expect(metadata.contains("\"method\" : \"unodc\""), "\(metadata)")
        let table = try String(contentsOfFile: dir.path + "/out/trends.csv", encoding: .utf8)
        #expect(table.hasPrefix("group_type,") && table.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",unodc") })
    }

    /// Uncertainty: a reported figure is exact, a filled one ±5% per year from the nearest report, an
    /// imputed one between the lowest and highest rate of the reporters it was imputed from.
    @Test func boundsWidenWithEveryYearFilledAndSpanThePoolForImputedCountries() {
        let data = [world.obs("AAA", 2010, 100), world.obs("AAA", 2013, 400), world.obs("BBB", 2010, 50)]
        let rows = world.run(data)
        // R1 2010: AAA 100 and BBB 50 reported; CCC imputed from R1's reporters at 7.5 per 100,000 (75),
        // between their lowest rate (BBB, 5) and highest (AAA, 10): 50 to 100.
        let r1 = row(rows, "R1", 2010)
        // (The multiples are kept in single precision: bounds to about 7 digits.)
        func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 1e-6 * b } ?? false }
        #expect(r1.total == 225 && close(r1.totalLow, 200) && close(r1.totalHigh, 250))
        #expect(close(r1.rateLow, 200.0 / 3_000_000 * 100_000) && close(r1.rateHigh, 250.0 / 3_000_000 * 100_000))
        // S1 2011 (suppressed: nobody reported) has no bounds; its computed figures do carry them.
        #expect(row(rows, "S1", 2011).totalLow == nil)
        // A reported figure alone is exact.
        let exact = world.run([world.obs("DDD", 2010, 40)])
        #expect(row(exact, "R2", 2010).totalLow == 40 && row(exact, "R2", 2010).totalHigh == 40)
    }

    /// One base year for every group of a series: the first year the world is published, even where a
    /// region is published earlier; each row names it.
    @Test func oneBaseYearPerSeries() {
        // 2010: only R2 (DDD) reports: the world (25%) is suppressed, R2 published.
        let data =
            [world.obs("DDD", 2010, 100)]
            + [2011, 2012].flatMap { year in ["AAA", "BBB", "CCC", "DDD"].map { world.obs($0, year, 100) } }
        let rows = world.run(data)
        #expect(row(rows, "R2", 2010).rate != nil && row(rows, "001", 2010).rate == nil)
        #expect(rows.allSatisfy { $0.baseYear == 2011 })
        #expect(near(row(rows, "R2", 2010).index, 100))
        #expect(near(row(rows, "R2", 2011).index, 100))
        #expect(world.run(data) { $0.baseYear = 2012 }.allSatisfy { $0.baseYear == 2012 })
    }

    @Test func estimatesMakeTheAggregateAnEstimate() {
        let data = ["AAA", "BBB", "CCC", "DDD"].map {
            world.obs($0, 2010, 10, status: $0 == "CCC" ? .estimated : .normal)
        }
        let rows = world.run(data)
        #expect(row(rows, "S1", 2010).status == .normal)
        #expect(row(rows, "R1", 2010).status == .estimated)
    }

    @Test func parentsAreRaisedToTheSumOfTheirChildren() {
        func offence(_ iso3: String, _ variable: String, _ code: String, _ value: Double) -> Observation {
            Observation(
                reporter: iso3, iso3: iso3, m49: "", year: 2010, indicator: "offences_recorded",
                series: "police_offences.\(variable)", iccs: ICCSCode(code), breakdown: "", value: value,
                status: .normal)
        }
        let data = ["AAA", "BBB", "CCC", "DDD"].flatMap { iso3 in
            [
                offence(iso3, "sexual_violence", "0301", 100), offence(iso3, "rape", "03011", 70),
                offence(iso3, "sexual_assault", "03012", iso3 == "AAA" ? 60 : 20),
            ]
        }
        let rows = world.run(data)
        func total(_ variable: String, _ code: String) -> AggregateRow {
            rows.first { $0.series == "police_offences.\(variable)" && $0.groupCode == code && $0.year == 2010 }!
        }
        // AAA: 70 + 60 = 130 > 100, so its parent counts 130; the 30 added is imputed, the figure an estimate.
        #expect(near(total("sexual_violence", "S1").computedTotal, 230))
        #expect(near(total("sexual_violence", "S1").imputedShare, 30.0 / 230 * 100))
        #expect(total("sexual_violence", "S1").status == .estimated)
        #expect(total("sexual_violence", "S2").status == .normal)
        for code in ["001", "R1", "R2", "S1", "S2", "S3"] {
            let parent = total("sexual_violence", code).computedTotal
            let children = total("rape", code).computedTotal + total("sexual_assault", code).computedTotal
            #expect(parent >= children - 1e-9)
        }
    }

    @Test func worldIsTheSumOfRegionsAndRegionsOfSubregions() {
        let rows = world.run([world.obs("AAA", 2010, 100), world.obs("DDD", 2012, 40), world.obs("CCC", 2011, 7)])
        for year in 2010...2012 {
            let w = row(rows, "001", year).computedTotal
            #expect(abs(w - row(rows, "R1", year).computedTotal - row(rows, "R2", year).computedTotal) < 1e-9)
            let r1 = row(rows, "R1", year).computedTotal
            #expect(abs(r1 - row(rows, "S1", year).computedTotal - row(rows, "S2", year).computedTotal) < 1e-9)
        }
    }
}

/// `cts aggregate` reads the store one family of series at a time, and takes each family's figures from
/// the store's rows without making observations; that must give exactly what the whole store at once
/// gives.
@Suite struct FamilyAtATimeTests {
    @Test func storeFamiliesAggregateLikeTheWholeStore() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/cts.sqlite"
        let workspace = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
        // Every fifth sample return: several regions, and the ones with mistakes are simply rejected.
        let samples = try Repo.sampleReturns(every: 5)
        #expect(samples.count >= 20)
        _ = runCTS(["ingest"] + samples + workspace + ["--db", path, "-q"])
        // The United Kingdom in its three parts (2019: all three, formed into GBR; 2020: no Northern
        // Ireland, not formed) and as a whole in 2021 (its own figure wins); national categories of Kenya,
        // two of them mapped to one ICCS code (added up), one an estimate.
        for (unit, years) in [
            ("GBR_EW", [2019, 2020, 2021]), ("GBR_S", [2019, 2020, 2021]), ("GBR_NI", [2019, 2021]),
        ] {
            let rows = years.flatMap { year in
                ReturnFixture.requiredRows(year: year, value: String(year - 1900 + unit.count))
                    .map { [unit] + $0.dropFirst() }
            }
            let file = dir.write("\(unit).csv", returnCSV(rows))
            #expect(runCTS(["ingest", file, "--db", path, "-q"] + workspace).status == 0)
        }
        let whole = dir.write(
            "GBR.csv", returnCSV(ReturnFixture.requiredRows(year: 2021, value: "700").map { ["GBR"] + $0.dropFirst() }))
        #expect(runCTS(["ingest", whole, "--db", path, "-q"] + workspace).status == 0)
        let table = dir.write(
            "tc.csv",
            "national_code,national_label,iccs,relation,share\n101,Homicidio,0101,exact,\n102,Parricidio,0101,exact,\n")
        let national = dir.write(
            "national.csv",
            returnCSV(
                ReturnFixture.requiredRows(year: 2019) + [
                    ["KEN", "2019", "national_offences", "101", "", "", "", "40", "E", ""],
                    ["KEN", "2019", "national_offences", "102", "", "", "", "2", "", ""],
                ]))
        #expect(runCTS(["ingest", national, "--correspondence", table, "--db", path, "-q"] + workspace).status == 0)
        let store = try Store(path: path)
        let all = try store.observations()
        let byFamily = try store.families()
        let families = (0..<byFamily.count).map(byFamily.observations)
        #expect(families.map(\.count).reduce(0, +) == all.count)
        // Each family comes once, whole.
        var seen = Set<String>()
        for family in families {
            let names = Set(family.map(Aggregator.family(of:)))
            #expect(names.count == 1)
            #expect(seen.insert(names.first!).inserted, "\(names.first!) comes twice")
        }
        #expect(seen.count > 3)

        let reference = Repo.reference
        let aggregator = Aggregator(countries: reference.countries.countries, population: reference.population)
        let units = reference.countries.reportingUnits
        let wholeRows = aggregator.rows(all + Composites.derive(all, units: units))
        var pieces: [AggregateRow] = []
        let places = byFamily.places(for: aggregator, units: units)
        var formed = 0
        var merged = 0
        for (index, family) in families.enumerated() {
            let derived = Composites.derive(family, units: units)
            formed += derived.count
            merged += family.filter { $0.nationalCode?.contains("+") == true }.count
            let rows = aggregator.rows(family + derived)
            // Taken from the rows, the family's figures give the same rows, number for number.
            let (series, count) = byFamily.figures(index, places: places)
            #expect(count == family.count + derived.count)
            // Each series' figures: the countries' own (not their parts'), in order, with a value.
            var expected: [String: [String]] = [:]
            for o in family + derived where o.reporter == o.iso3 && o.value != nil {
                expected[o.seriesKey, default: []].append(
                    "\(aggregator.countryNumber(o.iso3)) \(o.year) \(o.value!) \(o.status == .estimated)")
            }
            let got = Dictionary(
                uniqueKeysWithValues: series.map { s in
                    (s.key, s.figures.map { "\($0.country) \($0.year) \($0.value) \($0.estimated)" })
                })
            #expect(got == expected)
            let fromRows = aggregator.aggregate(family: series)
            let same = fromRows == rows
            #expect(same, "\(Aggregator.family(of: family[0]))")
            #expect(
                zip(fromRows, rows).allSatisfy {
                    $0.computedTotal.bitPattern == $1.computedTotal.bitPattern
                        && $0.coverage.bitPattern == $1.coverage.bitPattern
                })
            pieces += rows
        }
        #expect(formed > 0 && merged > 0)
        #expect(!wholeRows.isEmpty)
        #expect(TrendTable.sorted(pieces) == TrendTable.sorted(wholeRows))

        // Sorted in place, from any order: indicator, series, ICCS, breakdown, group kind, group code, year.
        var rows = Array(wholeRows.reversed())
        rows.swapAt(0, rows.count / 2)
        TrendTable.sort(&rows)
        #expect(rows.count == wholeRows.count)
        let kinds = CountryGroup.Kind.allCases
        func key(_ r: AggregateRow) -> (String, String, String, String, Int, String, Int) {
            (
                r.indicator, r.series, r.iccs?.rawValue ?? "", r.breakdown, kinds.firstIndex(of: r.group)!, r.groupCode,
                r.year
            )
        }
        for (a, b) in zip(rows, rows.dropFirst()) {
            let (ka, kb) = (key(a), key(b))
            #expect(
                ka.0 != kb.0
                    ? ka.0 < kb.0
                    : ka.1 != kb.1
                        ? ka.1 < kb.1
                        : ka.2 != kb.2
                            ? ka.2 < kb.2
                            : ka.3 != kb.3
                                ? ka.3 < kb.3 : ka.4 != kb.4 ? ka.4 < kb.4 : ka.5 != kb.5 ? ka.5 < kb.5 : ka.6 < kb.6)
        }
        #expect(Set(rows.map { "\(key($0))" }).count == rows.count)
        // Every row twice: runs of rows in order overlap, and the rows are sorted one by one.
        var doubled = wholeRows + wholeRows
        TrendTable.sort(&doubled)
        #expect(doubled == rows.flatMap { [$0, $0] })
    }
}

/// Completion and imputation read a country's population by year from `Population.country`.
@Suite struct PopulationByCountryTests {
    @Test func yearsReadAsFromTheWholeTable() {
        var population = Population()
        population.set("AAA", 2015, 100)
        population.set("AAA", 2017, 120)
        population.set("BBB", 2016, 7)
        let aaa = population.country("AAA")
        for year in 2010...2020 { #expect(aaa.persons(year) == population.persons("AAA", year), "\(year)") }
        #expect(aaa.persons(2016) == nil && aaa.persons(2017) == 120)
        #expect(population.country("CCC").persons(2016) == nil)
        let real = Repo.reference.population
        for iso3 in ["DEU", "KEN", "XKX", "GBR"] {
            let country = real.country(iso3)
            for year in 1955...2030 { #expect(country.persons(year) == real.persons(iso3, year)) }
        }
    }
}
