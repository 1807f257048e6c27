/// Identifies one cell of a return: country, year, table, variable and a code per breakdown dimension.
///
/// `breakdown` holds one entry per questionnaire dimension, in questionnaire order; a dimension the table
/// does not take is the empty string.
public struct CellKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var country: String
    public var year: Int
    public var table: String
    public var variable: String
    public var breakdown: [String]

    public init(country: String, year: Int, table: String, variable: String, breakdown: [String]) {
        self.country = country
        self.year = year
        self.table = table
        self.variable = variable
        self.breakdown = breakdown
    }

    /// The same cell one year earlier.
    public var previousYear: CellKey {
        var key = self
        key.year -= 1
        return key
    }

    /// The same cell with dimension number `index` set to `code`.
    public func with(dimension index: Int, code: String) -> CellKey {
        var key = self
        key.breakdown[index] = code
        return key
    }

    /// `KEN 2021 police.robbery [sex=F]`: only the breakdowns in use are shown.
    public func describe(dimensions: [String]) -> String {
        var text = "\(country) \(year) \(table).\(variable)"
        let used = zip(dimensions, breakdown).filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1)" }
        if !used.isEmpty { text += " [" + used.joined(separator: ", ") + "]" }
        return text
    }

    public var description: String { "\(country) \(year) \(table).\(variable) \(breakdown)" }
}
