/// A national-offence-to-ICCS correspondence table: how each national category counts in ICCS.
public struct Correspondence: Sendable {
    /// How one national category maps.
    public enum Mapping: Sendable, Equatable {
        /// Wholly to one ICCS code.
        case exact(ICCSCode)
        /// Split across ICCS codes, each taking a share of the national figure (shares add up to at most 1).
        case partial([Share])
        /// Not counted in ICCS (e.g. not a crime), with the reason.
        case excluded(String)
    }

    public struct Share: Sendable, Equatable {
        public var code: ICCSCode
        public var share: Double
        public init(code: ICCSCode, share: Double) {
            self.code = code
            self.share = share
        }
    }

    public struct Entry: Sendable, Equatable {
        public var nationalCode: String
        public var label: String
        public var mapping: Mapping
        public init(nationalCode: String, label: String, mapping: Mapping) {
            self.nationalCode = nationalCode
            self.label = label
            self.mapping = mapping
        }
    }

    public private(set) var entries: [String: Entry] = [:]
    /// National codes whose rows were left out of the table as invalid, with why (`line N: ...`): their
    /// figures stay unmapped, and are reported so.
    public private(set) var skipped: [String: String] = [:]

    public init(entries: [Entry], skipped: [String: String] = [:]) {
        for e in entries { self.entries[e.nationalCode] = e }
        self.skipped = skipped
    }

    /// What happened to one national figure.
    public enum Outcome: String, Sendable {
        case mapped, split, excluded, unmapped
    }

    /// One ICCS figure produced from a national figure.
    public struct Part: Sendable, Equatable {
        public var code: ICCSCode
        public var share: Double
        public var value: Double?
    }

    /// Maps one national figure: the ICCS figures it contributes and what happened to it.
    public func map(nationalCode: String, value: Double?) -> (outcome: Outcome, parts: [Part]) {
        guard let entry = entries[nationalCode] else { return (.unmapped, []) }
        switch entry.mapping {
        case .exact(let code):
            return (.mapped, [Part(code: code, share: 1, value: value)])
        case .partial(let shares):
            return (.split, shares.map { s in Part(code: s.code, share: s.share, value: value.map { $0 * s.share }) })
        case .excluded:
            return (.excluded, [])
        }
    }
}
