/// How the breakdowns of a table relate, from the questionnaire's code lists: a breakdown whose code of
/// some dimension is a part (`sex=F`) is one of the parts of the breakdown with that dimension at its
/// total (`sex=_T`), along with its siblings (`sex=M`, `sex=_U`). Pure.
///
/// A breakdown with several part codes (`sex=F;age=JUV`) is taken as a part along its *last* such
/// dimension in questionnaire order (age: the parts of `sex=F;age=_T`), so each cell has one parent.
public struct BreakdownTree: Sendable {
    /// Dimension ids in questionnaire order (the order of a breakdown's codes).
    public let dimensions: [String]
    /// For each dimension: the nearest total of each part code.
    let totalOf: [[String: String]]
    /// For each dimension: the parts of each total code, in the code list's order.
    let partsOf: [[String: [String]]]

    /// The code that takes what no share can place: the breakdown is then unknown (SDMX `_U`).
    public static let unknownCode = "_U"

    public init(codeLists: [CodeList]) {
        dimensions = codeLists.map(\.id)
        partsOf = codeLists.map { list in
            Dictionary(list.totals.map { ($0.code, $0.parts) }) { first, _ in first }
        }
        totalOf = codeLists.map { list in
            var result: [String: String] = [:]
            // A code that is a part of several totals belongs to the one listed last (the nearest).
            for total in list.totals { for part in total.parts { result[part] = total.code } }
            return result
        }
    }

    /// No dimensions: every breakdown stands alone.
    public static let none = BreakdownTree(codeLists: [])

    /// The codes of a breakdown text (`sex=F;age=_T`), one per dimension ("" where absent).
    public func codes(_ text: String) -> [String] {
        let byDimension = Observation.breakdownCodes(text)
        return dimensions.map { byDimension[$0] ?? "" }
    }

    /// The text of breakdown codes, as observations write it.
    public func text(_ codes: [String]) -> String { Observation.breakdownText(dimensions: dimensions, codes: codes) }

    /// Where a breakdown is a part: the dimension, the codes of its parent (that dimension at its
    /// total), and the codes of each sibling (itself included), in the code list's order. Nil for a
    /// breakdown that is a part of nothing (every code a grand total, or empty).
    public func parent(of codes: [String]) -> (dimension: Int, parent: [String], parts: [[String]])? {
        for d in codes.indices.reversed() {
            guard let total = totalOf[d][codes[d]], let parts = partsOf[d][total] else { continue }
            var parent = codes
            parent[d] = total
            return (
                d, parent,
                parts.map { code in
                    var sibling = codes
                    sibling[d] = code
                    return sibling
                }
            )
        }
        return nil
    }

    /// How many steps of `parent(of:)` lead from the breakdown to one that is a part of nothing.
    public func depth(_ codes: [String]) -> Int {
        var depth = 0
        var current = codes
        while let up = parent(of: current), depth < 64 {
            depth += 1
            current = up.parent
        }
        return depth
    }
}
