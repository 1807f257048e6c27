import CTSCore

/// Where the checks of a return find the figures it does not hold: the store's current figures of each
/// reporter, fetched by `fetch` when the reader first meets the reporter, on the reading thread.
public struct ReturnHistory {
    /// What the checks read.
    public let lookup = ReporterHistory()
    let fetch: (String) throws -> any StoredReporter

    public init(fetch: @escaping (String) throws -> any StoredReporter) {
        self.fetch = fetch
    }

    /// Fetches `reporter`'s figures unless they are held already, keeping at most `limit` reporters.
    func prepare(_ reporter: String, keepingAtMost limit: Int?) throws {
        if !lookup.holds(reporter) { lookup.add(reporter, try fetch(reporter), keepingAtMost: limit) }
    }

    /// Reporters a return read country by country needs at once: the one being read, the one just
    /// finished, two waiting for their checks and one being checked (`CountryChecks`), and a margin.
    public static let countriesInFlight = 8
}
