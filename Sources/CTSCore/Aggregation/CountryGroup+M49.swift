extension CountryGroup {
    /// The world, the M49 regions, sub-regions (the ones UNODC publishes) and intermediate regions, from
    /// the countries' M49 areas. Countries without a region (Antarctica) belong to the world only.
    public static func m49Groups(_ countries: [CountryRegistry.Country]) -> [CountryGroup] {
        var groups = [CountryGroup(kind: .world, code: "001", name: "World", members: countries.map(\.iso3))]
        for (kind, area) in [
            (Kind.region, \CountryRegistry.Country.region), (.subregion, \.subregion), (.intermediate, \.intermediate),
        ] {
            let byArea = Dictionary(grouping: countries.filter { !$0[keyPath: area].code.isEmpty }) {
                $0[keyPath: area]
            }
            groups += byArea.map { area, members in
                CountryGroup(kind: kind, code: area.code, name: area.name, members: members.map(\.iso3).sorted())
            }.sorted { $0.code < $1.code }
        }
        return groups
    }
}
