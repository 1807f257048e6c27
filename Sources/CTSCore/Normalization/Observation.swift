/// A figure normalized to the international frame: who reported it, for which country and region code,
/// which indicator and ICCS category, which breakdown, and its value and status.
public struct Observation: Sendable, Hashable {
    /// The reporter as in the return: an ISO alpha-3 code or a reporting unit such as `GBR_EW`.
    public var reporter: String
    /// The country the figure belongs to (a reporting unit's country).
    public var iso3: String
    /// The M49 code of the country; empty where M49 has none (e.g. XKX).
    public var m49: String
    public var year: Int
    /// What is counted, from the questionnaire table, e.g. `offences_recorded` or `victims`.
    public var indicator: String
    /// The questionnaire variable the figure came from, `table.variable`, which keeps apart series that
    /// share an indicator and ICCS code (victims in total and by mechanism).
    public var series: String
    public var iccs: ICCSCode?
    /// Breakdown codes in canonical text form, e.g. `sex=F;age=_T` (only the dimensions in use).
    public var breakdown: String
    public var value: Double?
    public var status: ObservationStatus
    /// True for figures cts computed (a country formed from its reporting units).
    public var derived: Bool
    /// For a figure mapped from a national offence category: that category's code, and the share of its
    /// figure counted here (1 for an exact mapping).
    public var nationalCode: String?
    public var share: Double
    /// The store's submission the figure came from (nil before it is stored, and for derived figures).
    public var submission: Int?

    public init(
        reporter: String, iso3: String, m49: String, year: Int, indicator: String, series: String, iccs: ICCSCode?,
        breakdown: String, value: Double?, status: ObservationStatus, derived: Bool = false,
        nationalCode: String? = nil, share: Double = 1, submission: Int? = nil
    ) {
        self.reporter = reporter
        self.iso3 = iso3
        self.m49 = m49
        self.year = year
        self.indicator = indicator
        self.series = series
        self.iccs = iccs
        self.breakdown = breakdown
        self.value = value
        self.status = status
        self.derived = derived
        self.nationalCode = nationalCode
        self.share = share
        self.submission = submission
    }

    /// Everything that identifies the figure apart from the year and reporter.
    public var seriesKey: String {
        Self.seriesKey(indicator: indicator, series: series, iccs: iccs, breakdown: breakdown)
    }

    /// The `seriesKey` of a figure of `series` (`table.variable`) counting `indicator`, with ICCS code
    /// `iccs` and breakdown text `breakdown`.
    public static func seriesKey(indicator: String, series: String, iccs: ICCSCode?, breakdown: String) -> String {
        "\(indicator)|\(series)|\(iccs?.rawValue ?? "")|\(breakdown)"
    }

    /// Whether `other` is of the same series (what `seriesKey` tells apart), without making the key.
    public func sameSeries(as other: Observation) -> Bool {
        indicator == other.indicator && series == other.series && iccs == other.iccs && breakdown == other.breakdown
    }

    /// Canonical text of a cell's breakdown: `dim=code` pairs joined by `;`, empty dimensions left out.
    /// It runs once per cell stored: the length is counted first and the bytes written straight into the
    /// string's storage (a `String.append` per piece cost some 2,600 instructions a cell).
    public static func breakdownText(dimensions: [String], codes: [String]) -> String {
        var length = 0
        for (dimension, code) in zip(dimensions, codes) where !code.isEmpty {
            length += (length > 0 ? 1 : 0) + dimension.utf8.count + 1 + code.utf8.count
        }
        guard length > 0 else { return "" }
        return String(unsafeUninitializedCapacity: length) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var end = base
            for (dimension, code) in zip(dimensions, codes) where !code.isEmpty {
                if end != base {
                    end.pointee = UInt8(ascii: ";")
                    end += 1
                }
                end = Self.copyUTF8(dimension, to: end)
                end.pointee = UInt8(ascii: "=")
                end += 1
                end = Self.copyUTF8(code, to: end)
            }
            return end - base
        }
    }

    /// Copies the UTF-8 bytes of `text` to `destination`; returns the address after them.
    private static func copyUTF8(_ text: String, to destination: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        var text = text
        return text.withUTF8 { bytes in
            guard let source = bytes.baseAddress else { return destination }
            destination.update(from: source, count: bytes.count)
            return destination + bytes.count
        }
    }
}

extension Observation {
    /// The codes of a breakdown in its text form (`sex=F;age=_T`), by dimension.
    public static func breakdownCodes(_ breakdown: String) -> [String: String] {
        var codes: [String: String] = [:]
        for pair in breakdown.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { codes[parts[0]] = parts[1] }
        }
        return codes
    }
}
