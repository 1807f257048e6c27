#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The values of each column that the byte path has met and found good, by their bytes.
///
/// One table holds them all, in slots: 0 countries, 1 tables, then the variables of each table, then the
/// codes of each dimension (as code number, position + 1).
struct KnownFields {
    var prepared = false
    var values = ByteCodeTable()
    static let countrySlot: Int32 = 0
    static let tableSlot: Int32 = 1
    var tableCount: Int32 = 0
    func variableSlot(_ table: Int) -> Int32 { 2 + Int32(table) }
    func codeSlot(_ dimension: Int) -> Int32 { 2 + tableCount + Int32(dimension) }
    /// `[table][dimension]`: whether the table is broken down by the dimension.
    var takes: [[Bool]] = []
    var reference: [UInt8] = []
    /// The last row's country and table: rows come in runs of both, so most rows are recognized by one
    /// comparison instead of a hash.
    var lastCountry = LastField()
    var lastTable = LastField()

    /// A field's bytes and the number they were found to have.
    struct LastField {
        var bytes: [UInt8] = []
        var number = -1

        func number(of f: UnsafeRawBufferPointer) -> Int? {
            number >= 0 && ReturnRowDecoder.equal(f, bytes) ? number : nil
        }
    }

    /// The number stored for `f` in `slot`; else the one `make` finds, stored for the next time. Nil when
    /// `make` finds none.
    mutating func number(_ f: UnsafeRawBufferPointer, in slot: Int32, make: () -> Int?) -> Int? {
        if let n = values.find(f, in: slot) { return Int(n) }
        guard let n = make() else { return nil }
        values.insert(f, in: slot, value: Int32(n))
        return n
    }

    /// As `number(_:in:make:)`, first trying the field `last` was given, and then remembering `f`.
    mutating func number(
        _ f: UnsafeRawBufferPointer, in slot: Int32, last: WritableKeyPath<KnownFields, LastField>,
        make: () -> Int?
    ) -> Int? {
        if let n = self[keyPath: last].number(of: f) { return n }
        guard let n = number(f, in: slot, make: make) else { return nil }
        self[keyPath: last] = LastField(bytes: Array(f), number: n)
        return n
    }
}

extension ReturnRowDecoder {
    /// Decodes a row given as bytes straight into a packed cell of `table`, for the common row with nothing
    /// to report. Returns nil when the row needs a closer look; `decode(_:line:)` on its strings then gives
    /// the cell and the findings, exactly as for any row. Allocates nothing for a known country, table,
    /// variable and codes, a plain whole number and an empty note.
    ///
    /// It decides nothing of its own: each field goes through the same rule as in `decode` (the country
    /// registry, the questionnaire's tables and variables, `breakdownField`, `CellValueParser`), whose
    /// answers for keys are remembered by their bytes. A row any rule finds fault with is left to `decode`.
    ///
    /// - Parameters:
    ///   - bytes: the row's fields one after another, `separator` bytes apart (valid UTF-8); `ends`: where
    ///     each field ends.
    ///   - table: the cells' numbering (`coder`) must be for this decoder's questionnaire.
    public mutating func decodePacked(
        _ bytes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<Int>, separator: Int, line: Int,
        into table: inout CellTable
    ) -> PackedCell? {
        guard ready, !stopped, let q = questionnaire, ends.count == header.count else { return nil }
        if !known.prepared { prepare(q) }
        @inline(__always) func field(_ i: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: bytes[(i == 0 ? 0 : ends[i - 1] + separator)..<ends[i]])
        }
        if let qi = columns.questionnaire, !Self.equal(field(qi), known.reference) { return nil }
        if let ai = columns.action, !field(ai).isEmpty { return nil }
        guard let country = countryNumber(field(columns.country), &table),
            let year = CellValueParser.year(bytes: field(columns.year)), q.referenceYears.contains(year),
            let t = tableNumber(field(columns.table), q),
            let variable = variableNumber(field(columns.variable), table: t, q, &table)
        else { return nil }
        var breakdown: UInt64 = 0
        for d in dimensionColumns.indices {
            let f = field(dimensionColumns[d])
            var n = 0
            if !f.isEmpty {
                guard
                    let found = known.number(
                        f, in: known.codeSlot(d),
                        make: {
                            table.coder.number(code: String(decoding: f, as: UTF8.self), dimension: d)
                        })
                else { return nil }
                n = found
            }
            switch Self.breakdownField(
                taken: known.takes[t][d], isEmpty: f.isEmpty, isKnownCode: n > 0,
                isGrandTotal: n > 0 && n == table.coder.grandTotalNumbers[d])
            {
            case .code: break
            case .none: n = 0
            case .missing, .unknown, .notInTable: return nil
            }
            breakdown += UInt64(n) * table.coder.strides[d]
        }
        guard case .success(let status) = CellValueParser.status(bytes: field(columns.status)) else { return nil }
        let raw = field(columns.value)
        guard case .success(let value) = CellValueParser.value(bytes: raw, status: status) else { return nil }
        // Stored packed only when the text as written is implied by the figure (its plain digits, or empty
        // without a figure); `decode` keeps any other text.
        guard raw.isEmpty || CellValueParser.plainWholeNumber(raw) != nil else { return nil }
        let note = field(columns.note)
        let extra = note.isEmpty ? -1 : table.extra(raw: nil, note: String(decoding: note, as: UTF8.self))
        return PackedCell(
            key: table.coder.pack(country: country, year: year, variable: variable, breakdown: breakdown),
            value: value, line: line, column: columns.value, status: status, flags: 0, extra: extra)
    }

    private mutating func prepare(_ q: Questionnaire) {
        known.prepared = true
        known.tableCount = Int32(q.tables.count)
        known.takes = q.tables.map { t in q.codeLists.map { t.breakdowns.contains($0.id) } }
        known.reference = Array(q.reference.utf8)
    }

    private mutating func countryNumber(_ f: UnsafeRawBufferPointer, _ table: inout CellTable) -> Int? {
        known.number(f, in: KnownFields.countrySlot, last: \.lastCountry) {
            let code = String(decoding: f, as: UTF8.self)
            if case .rejected = countries.check(code) { return nil }
            return table.coder.number(country: code)
        }
    }

    private mutating func tableNumber(_ f: UnsafeRawBufferPointer, _ q: Questionnaire) -> Int? {
        known.number(f, in: KnownFields.tableSlot, last: \.lastTable) {
            let id = String(decoding: f, as: UTF8.self)
            return q.tables.firstIndex { $0.id == id }
        }
    }

    private mutating func variableNumber(
        _ f: UnsafeRawBufferPointer, table t: Int, _ q: Questionnaire, _ table: inout CellTable
    ) -> Int? {
        known.number(f, in: known.variableSlot(t)) {
            let id = String(decoding: f, as: UTF8.self)
            guard q.tables[t].accepts(variable: id) else { return nil }
            return table.coder.number(variable: id, table: t)
        }
    }

    static func equal(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Bool {
        a.count == b.count
            && b.withUnsafeBytes { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
    }
}
