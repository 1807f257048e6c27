extension Validator {
    /// Tolerance for sums that involve estimates (status E): half a percent of the total, at least 1.
    static func slack(total: Double, estimated: Bool) -> Double {
        estimated ? max(1, abs(total) * 0.005) : 1e-9
    }

    /// A breakdown total equals the sum of its parts, for every dimension and every combination of the others.
    ///
    /// When only some parts are reported, or a part has no figure (L or M), the check is skipped and a
    /// skipped finding says which part is missing. When no part is reported there is nothing to check.
    func breakdownTotals(_ cells: [ReturnCell], index: CellIndex) -> [Finding] {
        var findings: [Finding] = []
        let lists = questionnaire.codeLists
        let store = index.storage
        for c in cells.indices {
            guard let total = cells[c].value else { continue }
            for (d, list) in lists.enumerated() {
                guard let parts = list.parts(of: cells[c].key.breakdown[d]) else { continue }
                // The common case first, without copying cells: every part there, with a figure.
                var partKey = cells[c].key  // one key copy per dimension, not one per part
                var positions: [Int?] = []
                positions.reserveCapacity(parts.count)
                var sum = 0.0
                var complete = true
                var estimated = cells[c].status == .estimated
                for code in parts {
                    partKey.breakdown[d] = code
                    let p = index.position(of: partKey)
                    positions.append(p)
                    if let p, let v = store[p].contribution {
                        sum += v
                        estimated = estimated || store[p].status == .estimated
                    } else {
                        complete = false
                    }
                }
                if positions.allSatisfy({ $0 == nil }) { continue }
                let slack = Self.slack(total: total, estimated: estimated)
                if complete && abs(sum - total) <= slack { continue }
                let cell = cells[c]
                let reported = positions.compactMap { $0.map { store[$0] } }
                if !complete {
                    let gaps = zip(parts, positions).compactMap { code, p -> String? in
                        guard let p else { return "\(list.id)=\(code) is not reported" }
                        let part = store[p]
                        if part.contribution == nil {
                            return part.isInvalid
                                ? "\(list.id)=\(code) has an unreadable value"
                                : "\(list.id)=\(code) has no figure (status \(part.status.rawValue))"
                        }
                        return nil
                    }
                    let what = "\(list.id) \(cell.key.breakdown[d]) = " + parts.joined(separator: " + ")
                    findings.append(
                        Finding(
                            ruleID: "breakdown.total", severity: .info, kind: .skipped,
                            message: "Not checked that \(what): " + gaps.joined(separator: "; ") + ".",
                            location: cell.location, cell: cell.key, related: reported.map(\.location)))
                    continue
                }
                let terms = zip(parts, reported).map { "\($0.0) \(RuleFormatting.number($0.1.contribution ?? 0))" }
                findings.append(
                    Finding(
                        ruleID: "breakdown.total", severity: questionnaire.breakdownTotalSeverity,
                        message:
                            "The total (\(cell.rawValue)) does not equal the sum of its \(list.label.lowercased()) "
                            + "breakdown: " + terms.joined(separator: " + ") + " = \(RuleFormatting.number(sum)), a "
                            + "difference of \(RuleFormatting.number(total - sum)). Correct the total or the parts; "
                            + "put cases whose \(list.label.lowercased()) is not known in the unknown category.",
                        location: cell.location, cell: cell.key, related: reported.map(\.location)))
            }
        }
        return findings
    }

    /// An ICCS parent is at least the sum of its reported children in the same table and breakdown.
    ///
    /// The children of a variable are the variables whose ICCS code lies below its code with no other
    /// variable of the table in between (0301 has 03011 and 03012; 0502 has 05021).
    func iccsParents(_ cells: [ReturnCell], index: CellIndex) -> [Finding] {
        var findings: [Finding] = []
        for table in questionnaire.tables {
            let children = Self.iccsChildren(of: table)
            guard !children.isEmpty else { continue }
            for cell in cells where cell.key.table == table.id {
                guard let kids = children[cell.key.variable] else { continue }
                let childCells = kids.compactMap { kid -> ReturnCell? in
                    var key = cell.key
                    key.variable = kid
                    return index.local(key)
                }
                let withFigures = childCells.filter { $0.value != nil }
                guard !withFigures.isEmpty else { continue }
                guard let parent = cell.value else { continue }
                let sum = withFigures.reduce(0.0) { $0 + ($1.value ?? 0) }
                if sum - parent
                    > Self.slack(
                        total: parent,
                        estimated: cell.status == .estimated || withFigures.contains { $0.status == .estimated })
                {
                    let parentCode = table.variable(cell.key.variable)?.iccs?.rawValue ?? ""
                    let terms = withFigures.map { c -> String in
                        let code = table.variable(c.key.variable)?.iccs?.rawValue ?? ""
                        return "\(c.key.variable) (\(code)) \(c.rawValue)"
                    }
                    findings.append(
                        Finding(
                            ruleID: "iccs.parent", severity: questionnaire.iccsParentSeverity,
                            message: "\(cell.key.variable) (ICCS \(parentCode)) is \(cell.rawValue), less than the sum "
                                + "of the categories below it: " + terms.joined(separator: " + ")
                                + " = \(RuleFormatting.number(sum)). A category includes its sub-categories; check "
                                + "whether the parent was counted under a narrower definition.",
                            location: cell.location, cell: cell.key, related: withFigures.map(\.location)))
                }
            }
        }
        return findings
    }

    /// For each variable of `table`, the variables directly below it in the ICCS tree (within the table).
    static func iccsChildren(of table: Table) -> [String: [String]] {
        ICCSCode.nearestChildren(table.variables.compactMap { v in v.iccs.map { (id: v.id, code: $0) } })
    }
}
