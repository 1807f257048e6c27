/// A code of the International Classification of Crime for Statistical Purposes (ICCS v1.0).
///
/// Codes are digit strings whose length gives the level: 2 digits a section (level 1), 4 a division (level 2),
/// 5 a group (level 3) and 6 a class (level 4). Leading zeros are part of the code and are never dropped.
public struct ICCSCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The code as written in the classification, e.g. `0101` or `020111`.
    public let rawValue: String

    /// Accepts a code of 2, 4, 5 or 6 ASCII digits; anything else is nil.
    public init?(_ text: String) {
        let utf8 = text.utf8
        guard [2, 4, 5, 6].contains(utf8.count), utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        rawValue = text
    }

    /// 1 (section) to 4 (class).
    public var level: Int {
        switch rawValue.utf8.count {
        case 2: 1
        case 4: 2
        case 5: 3
        default: 4
        }
    }

    /// The code one level up, or nil for a section.
    public var parent: ICCSCode? {
        let prefixLength: Int
        switch level {
        case 1: return nil
        case 2: prefixLength = 2
        case 3: prefixLength = 4
        default: prefixLength = 5
        }
        return ICCSCode(String(rawValue.prefix(prefixLength)))
    }

    /// The two-digit section this code belongs to.
    public var section: String { String(rawValue.prefix(2)) }

    /// True when `self` lies strictly below `other` in the tree.
    public func isDescendant(of other: ICCSCode) -> Bool {
        rawValue.count > other.rawValue.count && rawValue.hasPrefix(other.rawValue)
    }

    public var description: String { rawValue }

    public static func < (a: ICCSCode, b: ICCSCode) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = ICCSCode(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an ICCS code: \(text)"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension ICCSCode {
    /// For items that each carry an ICCS code, the items directly below each item: those whose nearest
    /// ancestor among the items' codes is its code. Items are named by `id`; items without a code are
    /// left out. (0301 has 03011 and 03012; 0502 has 05021.)
    public static func nearestChildren<ID: Hashable>(_ items: [(id: ID, code: ICCSCode)]) -> [ID: [ID]] {
        var result: [ID: [ID]] = [:]
        for (id, code) in items {
            let ancestors = items.filter { code.isDescendant(of: $0.code) }
            guard let nearest = ancestors.max(by: { $0.code.rawValue.count < $1.code.rawValue.count }) else { continue }
            result[nearest.id, default: []].append(id)
        }
        return result
    }
}
