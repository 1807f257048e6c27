import CTSCore

extension Store {
    /// The observations current now, or as they stood at `asOf` (a `Timestamp`), in a stable order.
    ///
    /// National categories mapped to the same ICCS code are added up into one observation; it is an
    /// estimate (E) when any part is.
    public func observations(asOf: String? = nil) throws -> [Observation] {
        var result: [Observation] = []
        try forEachObservation(asOf: asOf) { result.append($0) }
        return result
    }

    /// The order `forEachObservation` hands observations over in.
    public enum ObservationOrder: Sendable {
        /// Reporter, indicator, series, ICCS code, year, breakdown (as `observations(asOf:)`).
        case byReporter
        /// Indicator, table, breakdown, then series, ICCS code, reporter and year: the observations of
        /// each family of series that `Aggregator` completes together come one after another.
        case byFamily
    }

    /// Calls `body` for each observation (as `observations(asOf:)` lists them) in `order`, holding one at a
    /// time. The figures of several national categories of one reporter that map to the same ICCS code
    /// and year are added into one observation.
    public func forEachObservation(
        asOf: String? = nil, order: ObservationOrder = .byReporter, _ body: (Observation) throws -> Void
    ) throws {
        let (valid, values) = Self.valid(asOf: asOf, table: "c")
        let orderBy =
            switch order {
            case .byReporter: "o.reporter, o.indicator, o.series, o.iccs, o.year, o.breakdown, o.national_code"
            case .byFamily:
                """
                o.indicator, CASE WHEN instr(o.series, '.') > 0 THEN substr(o.series, 1, instr(o.series, '.') - 1)
                ELSE o.series END, o.breakdown, o.series, o.iccs, o.reporter, o.year, o.national_code
                """
            }
        let sql = """
            SELECT o.reporter, o.iso3, o.m49, o.year, o.indicator, o.series, o.iccs, o.breakdown, o.value, o.status,
                o.national_code, o.share, c.submission_id
            FROM observation o JOIN cell c ON c.id = o.cell_id
            WHERE \(valid) ORDER BY \(orderBy)
            """
        // Series and breakdown texts repeat across rows: every observation shares one copy of each.
        var shared: [String: String] = [:]
        func share(_ text: String) -> String {
            if let known = shared[text] { return known }
            shared[text] = text
            return text
        }
        // ICCS codes repeat too: each text is parsed once.
        var codes: [String: ICCSCode?] = [:]
        func iccs(_ text: String?) -> ICCSCode? {
            guard let text else { return nil }
            if let known = codes[text] { return known }
            let code = ICCSCode(text)
            codes[text] = code
            return code
        }
        // Held back until the next row shows whether it adds a national category to it.
        var pending: Observation?
        try db.forEachRow(sql, values) { r in
            let o = Observation(
                reporter: r.column(0).string ?? "", iso3: r.column(1).string ?? "", m49: r.column(2).string ?? "",
                year: r.column(3).int ?? 0, indicator: r.column(4).string ?? "",
                series: share(r.column(5).string ?? ""), iccs: iccs(r.column(6).string),
                breakdown: share(r.column(7).string ?? ""),
                value: r.column(8).double, status: ObservationStatus(rawValue: r.column(9).string ?? "A") ?? .normal,
                nationalCode: r.column(10).string, share: r.column(11).double ?? 1, submission: r.column(12).int)
            if o.nationalCode != nil, var last = pending, last.nationalCode != nil, last.reporter == o.reporter,
                last.seriesKey == o.seriesKey, last.year == o.year
            {
                last.value = last.value.flatMap { a in o.value.map { a + $0 } }
                last.nationalCode = (last.nationalCode ?? "") + "+" + (o.nationalCode ?? "")
                if o.status == .estimated || last.status == .estimated {
                    last.status = .estimated
                } else if last.status == .normal {
                    last.status = o.status  // keep a break, a differing definition, a provisional figure
                }
                pending = last
            } else {
                if let pending { try body(pending) }
                pending = o
            }
        }
        if let pending { try body(pending) }
    }
}
