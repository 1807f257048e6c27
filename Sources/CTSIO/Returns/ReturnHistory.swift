import CTSCore

/// Where the checks of a return find the figures it does not hold: the store's current figures of each
/// reporter, fetched by `fetch` when the reader first meets the reporter, on the reading thread.
public struct ReturnHistory {
    /// What the checks read.
    public let lookup = ReporterHistory()
    let fetch: (String) throws -> [CellKey: ReturnCell]

    public init(fetch: @escaping (String) throws -> [CellKey: ReturnCell]) {
        self.fetch = fetch
    }

    /// Fetches `reporter`'s figures unless they are held already.
    func prepare(_ reporter: String) throws {
        if !lookup.holds(reporter) { lookup.add(reporter, try fetch(reporter)) }
    }
}
