/// A list of codes for one breakdown dimension (sex, age status, citizenship, ...), with the totals among them.
public struct CodeList: Sendable, Hashable {
    public struct Code: Sendable, Hashable {
        public var code: String
        public var label: String
        public init(code: String, label: String) {
            self.code = code
            self.label = label
        }
    }

    /// A code that is the sum of other codes of the same list, e.g. `_T` of `M`, `F` and `_U`.
    public struct Total: Sendable, Hashable {
        public var code: String
        public var parts: [String]
        public init(code: String, parts: [String]) {
            self.code = code
            self.parts = parts
        }
    }

    /// The dimension's id, which is also the return's column name (e.g. `sex`).
    public var id: String
    public var label: String
    public var codes: [Code]
    public var totals: [Total]
    public var location: SourceLocation?

    public init(id: String, label: String, codes: [Code], totals: [Total], location: SourceLocation? = nil) {
        self.id = id
        self.label = label
        self.codes = codes
        self.totals = totals
        self.location = location
    }

    /// The grand total: the first listed total, used when a rule names a variable without this dimension.
    public var grandTotal: String? { totals.first?.code }

    public func contains(_ code: String) -> Bool { codes.contains { $0.code == code } }

    public func label(of code: String) -> String? { codes.first { $0.code == code }?.label }

    /// The parts that add up to `code`, or nil if it is not a total.
    public func parts(of code: String) -> [String]? { totals.first { $0.code == code }?.parts }
}
