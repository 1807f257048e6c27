/// The ICCS v1.0 code tree with titles: which codes exist and what they are called.
public struct ICCSClassification: Sendable {
    public struct Entry: Sendable, Hashable {
        public var code: ICCSCode
        public var title: String
        public init(code: ICCSCode, title: String) {
            self.code = code
            self.title = title
        }
    }

    private var entries: [ICCSCode: Entry]

    /// Builds the tree from its entries; every non-section code's parent must be present.
    public init(entries: [Entry]) throws {
        var map: [ICCSCode: Entry] = [:]
        for entry in entries {
            guard map.updateValue(entry, forKey: entry.code) == nil else {
                throw InputError("ICCS code \(entry.code) is listed twice in the classification")
            }
        }
        for entry in entries {
            if let parent = entry.code.parent, map[parent] == nil {
                throw InputError("ICCS code \(entry.code) has no parent \(parent) in the classification")
            }
        }
        self.entries = map
    }

    public var count: Int { entries.count }

    public func contains(_ code: ICCSCode) -> Bool { entries[code] != nil }

    public func title(of code: ICCSCode) -> String? { entries[code]?.title }

    /// All codes, sorted.
    public var codes: [ICCSCode] { entries.keys.sorted() }

    /// The codes of `level` whose text equals `digits` once leading zeros are dropped.
    ///
    /// Spreadsheets turn `0101` into `101`; this lists every code that such a number could have been.
    public func candidates(forZeroStripped digits: String) -> [ICCSCode] {
        let stripped = String(digits.drop(while: { $0 == "0" }))
        guard !stripped.isEmpty else { return [] }
        return entries.keys.filter { String($0.rawValue.drop(while: { $0 == "0" })) == stripped }.sorted()
    }
}
