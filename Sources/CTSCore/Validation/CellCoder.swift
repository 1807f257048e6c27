/// A cell key packed into two integers: hashing and comparing it touches no string.
///
/// `head` holds the country number (bits 40–63), the year (bits 24–39) and the variable number
/// (bits 0–23); `breakdown` holds the code of every dimension in mixed radix (see `CellCoder`).
public struct PackedCellKey: Hashable, Sendable {
    public var head: UInt64
    public var breakdown: UInt64

    @inlinable public init(head: UInt64, breakdown: UInt64) {
        self.head = head
        self.breakdown = breakdown
    }

    @inlinable public var country: Int { Int(head >> 40) }
    @inlinable public var year: Int { Int((head >> 24) & 0xFFFF) }
    @inlinable public var variable: Int { Int(head & 0xFF_FFFF) }

    /// The same cell for another variable (of the same table).
    @inlinable public func with(variable: Int) -> PackedCellKey {
        PackedCellKey(head: head & ~0xFF_FFFF | UInt64(variable), breakdown: breakdown)
    }
}

/// Numbers the parts of cell keys for one questionnaire, so that cells can be keyed by `PackedCellKey`.
///
/// Countries and the codes of national-category tables are numbered as they are met; variables of the
/// questionnaire are numbered up front (all tables in order), and each dimension's codes are its code list's
/// position plus one, with 0 for an empty code. Complexity: packing and unpacking are O(dimensions).
public struct CellCoder: Sendable {
    public let questionnaire: Questionnaire
    /// Country codes by number.
    public private(set) var countries: [String] = []
    private var countryNumbers: [String: Int] = [:]
    /// Every variable by number: its table (position in the questionnaire) and its id.
    public private(set) var variables: [(table: Int, id: String)] = []
    private var variableNumbers: [[String: Int]]
    /// The factor of each dimension in the packed breakdown.
    public let strides: [UInt64]
    /// The number of codes of each dimension, plus one for the empty code.
    public let radices: [UInt64]
    private let codeNumbers: [[String: Int]]
    /// For each table, the packed breakdown of its total cell (grand totals of its dimensions).
    public let totalBreakdown: [UInt64]
    /// For each dimension, the number of its grand total code, or -1 when it has none.
    public let grandTotalNumbers: [Int]

    public init(questionnaire: Questionnaire) {
        self.questionnaire = questionnaire
        var numbers: [[String: Int]] = []
        for (t, table) in questionnaire.tables.enumerated() {
            var byID: [String: Int] = [:]
            for v in table.variables where byID[v.id] == nil {
                byID[v.id] = variables.count
                variables.append((t, v.id))
            }
            numbers.append(byID)
        }
        variableNumbers = numbers
        var strides: [UInt64] = []
        var stride: UInt64 = 1
        for list in questionnaire.codeLists {
            strides.append(stride)
            let (product, overflow) = stride.multipliedReportingOverflow(by: UInt64(list.codes.count + 1))
            precondition(!overflow, "too many breakdown combinations to pack")
            stride = product
        }
        self.strides = strides
        radices = questionnaire.codeLists.map { UInt64($0.codes.count + 1) }
        codeNumbers = questionnaire.codeLists.map { list in
            var byCode: [String: Int] = [:]
            for (i, code) in list.codes.enumerated() where byCode[code.code] == nil { byCode[code.code] = i + 1 }
            return byCode
        }
        let lists = questionnaire.codeLists
        let grandTotals = lists.map { list in
            list.grandTotal.flatMap { c in list.codes.firstIndex { $0.code == c } }.map { $0 + 1 } ?? -1
        }
        grandTotalNumbers = grandTotals
        totalBreakdown = questionnaire.tables.map { table in
            var packed: UInt64 = 0
            for (d, list) in lists.enumerated() where table.breakdowns.contains(list.id) {
                packed += UInt64(max(0, grandTotals[d])) * strides[d]
            }
            return packed
        }
    }

    /// The number of a country, numbering it if it is new.
    public mutating func number(country: String) -> Int {
        if let n = countryNumbers[country] { return n }
        countryNumbers[country] = countries.count
        countries.append(country)
        return countries.count - 1
    }

    /// The number of a variable of table `table` (position), numbering a national code if it is new.
    /// Nil for an id the table does not have when the table is not a national-category table.
    public mutating func number(variable id: String, table: Int) -> Int? {
        if let n = variableNumbers[table][id] { return n }
        guard questionnaire.tables[table].nationalCategories else { return nil }
        variableNumbers[table][id] = variables.count
        variables.append((table, id))
        return variables.count - 1
    }

    /// The number of a country already known.
    public func knownNumber(country: String) -> Int? { countryNumbers[country] }

    /// The number of a variable already known.
    public func knownNumber(variable id: String, table: Int) -> Int? { variableNumbers[table][id] }

    /// The number (position + 1) of `code` in dimension `d`; 0 for the empty code, nil if unknown.
    public func number(code: String, dimension d: Int) -> Int? {
        code.isEmpty ? 0 : codeNumbers[d][code]
    }

    /// The code with number `n` in dimension `d` ("" for 0).
    public func code(_ n: Int, dimension d: Int) -> String {
        n == 0 ? "" : questionnaire.codeLists[d].codes[n - 1].code
    }

    /// The number of the code of dimension `d` in a packed breakdown.
    @inlinable public func code(of key: PackedCellKey, dimension d: Int) -> Int {
        Int((key.breakdown / strides[d]) % radices[d])
    }

    /// The key with the code of dimension `d` set to code number `n`.
    @inlinable public func setting(_ key: PackedCellKey, dimension d: Int, to n: Int) -> PackedCellKey {
        let old = UInt64(code(of: key, dimension: d))
        return PackedCellKey(head: key.head, breakdown: key.breakdown - old * strides[d] + UInt64(n) * strides[d])
    }

    /// The key with another year (0...0xFFFF).
    @inlinable public func setting(_ key: PackedCellKey, year: Int) -> PackedCellKey {
        PackedCellKey(head: key.head & ~(0xFFFF << 24) | UInt64(year & 0xFFFF) << 24, breakdown: key.breakdown)
    }

    /// Packs numbers already checked.
    @inlinable public func pack(country: Int, year: Int, variable: Int, breakdown: UInt64) -> PackedCellKey {
        PackedCellKey(
            head: UInt64(country) << 40 | UInt64(year & 0xFFFF) << 24 | UInt64(variable), breakdown: breakdown)
    }

    /// Packs a key, numbering its country and national code if they are new. Nil when the key names a
    /// table, variable or code the questionnaire does not have.
    public mutating func intern(_ key: CellKey) -> PackedCellKey? {
        guard let t = questionnaire.tables.firstIndex(where: { $0.id == key.table }),
            let v = number(variable: key.variable, table: t),
            let b = breakdown(key.breakdown), (0...0xFFFF).contains(key.year)
        else { return nil }
        return pack(country: number(country: key.country), year: key.year, variable: v, breakdown: b)
    }

    /// Packs a key without numbering anything: nil when a part of it was never numbered.
    public func encode(_ key: CellKey) -> PackedCellKey? {
        guard let c = countryNumbers[key.country],
            let t = questionnaire.tables.firstIndex(where: { $0.id == key.table }),
            let v = variableNumbers[t][key.variable],
            let b = breakdown(key.breakdown), (0...0xFFFF).contains(key.year)
        else { return nil }
        return pack(country: c, year: key.year, variable: v, breakdown: b)
    }

    /// Packs a breakdown (one code per dimension); nil if a code is not in its list.
    func breakdown(_ codes: [String]) -> UInt64? {
        guard codes.count == strides.count else { return nil }
        var packed: UInt64 = 0
        for (d, code) in codes.enumerated() {
            guard let n = number(code: code, dimension: d) else { return nil }
            packed += UInt64(n) * strides[d]
        }
        return packed
    }

    /// The table (position) of a packed key.
    @inlinable public func table(of key: PackedCellKey) -> Int { variables[key.variable].table }

    /// Unpacks a key.
    public func decode(_ key: PackedCellKey) -> CellKey {
        let v = variables[key.variable]
        return CellKey(
            country: countries[key.country], year: key.year, table: questionnaire.tables[v.table].id,
            variable: v.id,
            breakdown: strides.indices.map { code(code(of: key, dimension: $0), dimension: $0) })
    }
}
