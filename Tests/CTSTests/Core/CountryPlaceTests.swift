import CTSCore
import Testing

/// `CountryRegistry.place` is the normalizer's one lookup per figure: it must say what `check` and
/// `country` say together, for every code a return may carry.
@Suite struct CountryPlaceTests {
    @Test func placeAgreesWithTheCheck() {
        let registry = Repo.reference.countries
        let codes =
            registry.countries.map(\.iso3) + registry.reportingUnits.map(\.code)
            + ["", "ken", "KE", "XKX", "GBR_EW", "GBR_XX", "ROM", "UK", "ZZZ"]
        var units = 0
        for code in codes {
            let expected: CountryRegistry.Place?
            switch registry.check(code) {
            case .country(let c): expected = .init(iso3: c.iso3, m49: registry.country(c.iso3)?.m49 ?? "")
            case .reportingUnit(let u):
                units += 1
                expected = .init(iso3: u.country, m49: registry.country(u.country)?.m49 ?? "")
            case .rejected: expected = nil
            }
            #expect(registry.place(code) == expected, "\(code)")
        }
        #expect(units >= 5)
        #expect(registry.place("GBR_EW") == .init(iso3: "GBR", m49: registry.country("GBR")!.m49))
    }
}
