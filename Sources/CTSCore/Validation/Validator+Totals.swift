extension Validator {
    /// Tolerance for sums that involve estimates (status E): half a percent of the total, at least 1.
    static func slack(total: Double, estimated: Bool) -> Double {
        estimated ? max(1, abs(total) * 0.005) : 1e-9
    }

    /// For each dimension, the code numbers of the parts of each code number that is a total.
    static func partNumbers(_ coder: CellCoder) -> [[[Int]?]] {
        coder.questionnaire.codeLists.enumerated().map { d, list in
            (0...list.codes.count).map { n in
                list.parts(of: coder.code(n, dimension: d))?.map { coder.number(code: $0, dimension: d) ?? -1 }
            }
        }
    }

    /// A breakdown total equals the sum of its parts, for every dimension and every combination of the others.
    ///
    /// When only some parts are reported, or a part has no figure (L or M), the check is skipped and a
    /// skipped finding says which part is missing, unless the parts reported already add up to more than
    /// the total: that is wrong whatever the missing parts hold, and is found as a total that does not
    /// add up. When no part is reported there is
    /// nothing to check.
    func breakdownTotals(_ table: CellTable) -> [Finding] {
        var findings: [Finding] = []
        let coder = table.coder
        let lists = questionnaire.codeLists
        let partsByCode = Self.partNumbers(coder)
        let cells = table.cells
        var positions: [Int?] = []
        for c in cells.indices where cells[c].hasValue {
            let total = cells[c].value
            for d in lists.indices {
                guard let parts = partsByCode[d][coder.code(of: cells[c].key, dimension: d)] else { continue }
                positions.removeAll(keepingCapacity: true)
                var sum = 0.0
                var complete = true
                var estimated = cells[c].status == .estimated
                for part in parts {
                    let p = part < 0 ? nil : table.position(of: coder.setting(cells[c].key, dimension: d, to: part))
                    positions.append(p)
                    if let p, let v = cells[p].contribution {
                        sum += v
                        estimated = estimated || cells[p].status == .estimated
                    } else {
                        complete = false
                    }
                }
                if positions.allSatisfy({ $0 == nil }) { continue }
                if complete && abs(sum - total) <= Self.slack(total: total, estimated: estimated) { continue }
                findings.append(
                    totalFinding(
                        table.cell(at: c), list: lists[d], dimension: d, positions: positions, sum: sum,
                        complete: complete, table: table))
            }
        }
        return findings
    }

    private func totalFinding(
        _ cell: ReturnCell, list: CodeList, dimension d: Int, positions: [Int?], sum: Double, complete: Bool,
        table: CellTable
    ) -> Finding {
        let parts = list.parts(of: cell.key.breakdown[d]) ?? []
        let reported = positions.compactMap { $0.map { table.cell(at: $0) } }
        let total = cell.value ?? 0
        let estimated = cell.status == .estimated || reported.contains { $0.status == .estimated }
        if !complete, sum - total > Self.slack(total: total, estimated: estimated) {
            let terms = zip(parts, positions).compactMap { code, p -> String? in
                guard let p, let v = table.cell(at: p).contribution else { return nil }
                return "\(code) \(RuleFormatting.number(v))"
            }
            // As severe as a complete breakdown that does not add up (the questionnaire's
            // breakdown_total): no missing part can make it add up.
            return Finding(
                ruleID: "breakdown.total", severity: questionnaire.breakdownTotalSeverity,
                message:
                    "The parts reported already add up to more than the total (\(cell.rawValue)): "
                    + terms.joined(separator: " + ") + " = \(RuleFormatting.number(sum)), "
                    + "\(RuleFormatting.number(sum - total)) more, before the \(list.label.lowercased()) parts "
                    + "not given. Correct the total or the parts.",
                location: cell.location, cell: cell.key, related: reported.map(\.location))
        }
        if !complete {
            let gaps = zip(parts, positions).compactMap { code, p -> String? in
                guard let p else { return "\(list.id)=\(code) is not reported" }
                let part = table.cell(at: p)
                if part.contribution == nil {
                    return part.isInvalid
                        ? "\(list.id)=\(code) has an unreadable value"
                        : "\(list.id)=\(code) has no figure (status \(part.status.rawValue))"
                }
                return nil
            }
            let what = "\(list.id) \(cell.key.breakdown[d]) = " + parts.joined(separator: " + ")
            return Finding(
                ruleID: "breakdown.total", severity: .info, kind: .skipped,
                message: "Not checked that \(what): " + gaps.joined(separator: "; ") + ".",
                location: cell.location, cell: cell.key, related: reported.map(\.location))
        }
        let terms = zip(parts, reported).map { "\($0.0) \(RuleFormatting.number($0.1.contribution ?? 0))" }
        return Finding(
            ruleID: "breakdown.total", severity: questionnaire.breakdownTotalSeverity,
            message:
                "The total (\(cell.rawValue)) does not equal the sum of its \(list.label.lowercased()) "
                + "breakdown: " + terms.joined(separator: " + ") + " = \(RuleFormatting.number(sum)), a "
                + "difference of \(RuleFormatting.number(total - sum)). Correct the total or the parts; "
                + "put cases whose \(list.label.lowercased()) is not known in the unknown category.",
            location: cell.location, cell: cell.key, related: reported.map(\.location))
    }

    /// An ICCS parent is at least the sum of its reported children in the same table and breakdown.
    ///
    /// The children of a variable are the variables whose ICCS code lies below its code with no other
    /// variable of the table in between (0301 has 03011 and 03012; 0502 has 05021).
    func iccsParents(_ table: CellTable) -> [Finding] {
        let coder = table.coder
        // Children by variable number, for the variables numbered up front.
        var children: [[Int]] = Array(repeating: [], count: coder.variables.count)
        for (t, tab) in questionnaire.tables.enumerated() {
            for (parent, kids) in Self.iccsChildren(of: tab) {
                guard let p = coder.knownNumber(variable: parent, table: t) else { continue }
                children[p] = kids.compactMap { coder.knownNumber(variable: $0, table: t) }
            }
        }
        var findings: [Finding] = []
        let cells = table.cells
        for c in cells.indices {
            let v = cells[c].key.variable
            guard v < children.count, !children[v].isEmpty, cells[c].hasValue else { continue }
            let kids = children[v].compactMap { table.position(of: cells[c].key.with(variable: $0)) }
            let withFigures = kids.filter { cells[$0].hasValue }
            guard !withFigures.isEmpty else { continue }
            let parent = cells[c].value
            let sum = withFigures.reduce(0.0) { $0 + cells[$1].value }
            let estimated = cells[c].status == .estimated || withFigures.contains { cells[$0].status == .estimated }
            if sum - parent > Self.slack(total: parent, estimated: estimated) {
                findings.append(parentFinding(table.cell(at: c), children: withFigures.map(table.cell(at:)), sum: sum))
            }
        }
        return findings
    }

    private func parentFinding(_ cell: ReturnCell, children: [ReturnCell], sum: Double) -> Finding {
        let table = questionnaire.table(cell.key.table)
        let parentCode = table?.variable(cell.key.variable)?.iccs?.rawValue ?? ""
        let terms = children.map { c -> String in
            let code = table?.variable(c.key.variable)?.iccs?.rawValue ?? ""
            return "\(c.key.variable) (\(code)) \(c.rawValue)"
        }
        return Finding(
            ruleID: "iccs.parent", severity: questionnaire.iccsParentSeverity,
            message: "\(cell.key.variable) (ICCS \(parentCode)) is \(cell.rawValue), less than the sum "
                + "of the categories below it: " + terms.joined(separator: " + ")
                + " = \(RuleFormatting.number(sum)). A category includes its sub-categories; check "
                + "whether the parent was counted under a narrower definition.",
            location: cell.location, cell: cell.key, related: children.map(\.location))
    }

    /// For each variable of `table`, the variables directly below it in the ICCS tree (within the table).
    static func iccsChildren(of table: Table) -> [String: [String]] {
        ICCSCode.nearestChildren(table.variables.compactMap { v in v.iccs.map { (id: v.id, code: $0) } })
    }
}
