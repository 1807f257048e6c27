/// The country codes a return may use: ISO 3166 alpha-3 codes, sub-national reporting units, and the
/// non-ISO aliases real files contain (with the code to write instead).
public struct CountryRegistry: Sendable {
    public struct Country: Sendable, Hashable {
        public var iso3: String
        public var iso2: String
        public var m49: String
        public var name: String
        /// M49 region, sub-region and intermediate region (code and name; empty where there is none).
        public var region: Area
        public var subregion: Area
        public var intermediate: Area

        public init(
            iso3: String, iso2: String, m49: String, name: String, region: Area = .none, subregion: Area = .none,
            intermediate: Area = .none
        ) {
            self.iso3 = iso3
            self.iso2 = iso2
            self.m49 = m49
            self.name = name
            self.region = region
            self.subregion = subregion
            self.intermediate = intermediate
        }
    }

    /// An M49 area: code and name.
    public struct Area: Sendable, Hashable {
        public var code: String
        public var name: String
        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
        public static let none = Area(code: "", name: "")
    }

    /// All countries, sorted by ISO alpha-3 code.
    public var countries: [Country] { byISO3.values.sorted { $0.iso3 < $1.iso3 } }

    /// A part of a country that reports on its own, e.g. `GBR_EW` (England and Wales) of `GBR`.
    public struct ReportingUnit: Sendable, Hashable {
        public var code: String
        public var country: String
        public var name: String
        public init(code: String, country: String, name: String) {
            self.code = code
            self.country = country
            self.name = name
        }
    }

    /// A code seen in real files that is not ISO alpha-3, and the ISO alpha-3 code it stands for.
    public struct Alias: Sendable, Hashable {
        public var alias: String
        public var iso3: String
        public var source: String
        public init(alias: String, iso3: String, source: String) {
            self.alias = alias
            self.iso3 = iso3
            self.source = source
        }
    }

    private var byISO3: [String: Country] = [:]
    private var byISO2: [String: Country] = [:]
    private var units: [String: ReportingUnit] = [:]
    private var aliases: [String: Alias] = [:]
    private var places: [String: Place] = [:]

    public init(countries: [Country], reportingUnits: [ReportingUnit], aliases: [Alias]) {
        for c in countries {
            byISO3[c.iso3] = c
            if !c.iso2.isEmpty { byISO2[c.iso2] = c }
        }
        for u in reportingUnits { units[u.code] = u }
        for a in aliases { self.aliases[a.alias] = a }
        for u in reportingUnits where byISO3[u.code] == nil {
            places[u.code] = Place(iso3: u.country, m49: byISO3[u.country]?.m49 ?? "")
        }
        for c in countries { places[c.iso3] = Place(iso3: c.iso3, m49: c.m49) }
    }

    /// The country a figure of an accepted reporter belongs to, and its M49 code (empty where M49 has
    /// none).
    public struct Place: Sendable, Equatable {
        public var iso3: String
        public var m49: String

        public init(iso3: String, m49: String) {
            self.iso3 = iso3
            self.m49 = m49
        }
    }

    /// The place of `code` when `check(code)` accepts it (a country, or a reporting unit's country), else
    /// nil. One lookup, for every figure normalized.
    public func place(_ code: String) -> Place? { places[code] }

    public var countryCount: Int { byISO3.count }

    public func country(_ iso3: String) -> Country? { byISO3[iso3] }

    public func reportingUnit(_ code: String) -> ReportingUnit? { units[code] }

    /// The reporter code cts accepts for a code another source writes: an ISO alpha-3 code or reporting
    /// unit as it is, an alias (`EL`, `XK`, `KOS`) or an ISO alpha-2 code (`DE`) as its alpha-3 code; nil
    /// for a code it does not know.
    public func reporter(for code: String) -> String? {
        if byISO3[code] != nil || units[code] != nil { return code }
        if let a = aliases[code], byISO3[a.iso3] != nil { return a.iso3 }
        return byISO2[code]?.iso3
    }

    /// All reporting units, sorted by code.
    public var reportingUnits: [ReportingUnit] { units.values.sorted { $0.code < $1.code } }

    /// The outcome of checking a reporter code.
    public enum Check: Sendable, Equatable {
        case country(Country)
        case reportingUnit(ReportingUnit)
        /// Not acceptable; the text explains and gives the fix.
        case rejected(String)
    }

    /// Checks a reporter code and, when it is not acceptable, says what to write instead.
    public func check(_ code: String) -> Check {
        if let c = byISO3[code] { return .country(c) }
        if let u = units[code] { return .reportingUnit(u) }
        if code.isEmpty { return .rejected("The country is empty. Write the ISO 3166 alpha-3 code, e.g. KEN.") }
        if let c = byISO3[code.uppercased()] {
            return .rejected("Country codes are written in capitals: write \(c.iso3) (\(c.name)), not \(code).")
        }
        if let a = aliases[code] ?? aliases[code.uppercased()], let c = byISO3[a.iso3] {
            return .rejected(
                "\(code) is not an ISO 3166 alpha-3 code (it is used by \(a.source)). Write \(c.iso3) (\(c.name)).")
        }
        if let c = byISO2[code.uppercased()] {
            return .rejected("\(code) is an ISO 3166 alpha-2 code. Write the alpha-3 code \(c.iso3) (\(c.name)).")
        }
        return .rejected(
            "\(code) is not an ISO 3166 alpha-3 country code. Write the three-letter code, e.g. KEN for Kenya.")
    }
}
