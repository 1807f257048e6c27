/// The country-year, and for a `for_each` rule the cell, that a rule is evaluated for.
///
/// When the evaluator reads a `CellTable`, the country's number and the packed key of `this` come along,
/// so that the cells a rule names are found by packed key: no key text is built or hashed.
struct RuleSubject {
    var country: String
    /// The country's number in the table's coder; nil when the table has no cell of the country.
    var countryNumber: Int?
    var year: Int
    /// The cell a `for_each` rule looks at, as text (nil when only its packed key is known).
    var this: CellKey?
    var packedThis: PackedCellKey?
}

/// A cell a rule names: by packed key when the table's coder knows every part of it, else by text.
enum RuleTarget {
    case packed(PackedCellKey)
    case text(CellKey)
}

/// A resolved reference with its parts numbered by a table's coder.
struct PackedReference: Sendable {
    /// The variable's number; nil for `this`.
    var variable: Int?
    /// A named variable's whole breakdown, packed.
    var breakdown: UInt64
    /// For `this`: the codes set explicitly, as (dimension, code number).
    var overrides: [(dimension: Int, code: Int)]

    init?(_ resolved: ResolvedReference, coder: CellCoder) {
        guard let t = coder.questionnaire.tables.firstIndex(where: { $0.id == resolved.table }) else { return nil }
        if let variable = resolved.variable {
            guard let v = coder.knownNumber(variable: variable, table: t),
                let b = resolved.breakdown.flatMap(coder.breakdown)
            else { return nil }
            (self.variable, breakdown, overrides) = (v, b, [])
            return
        }
        var overrides: [(dimension: Int, code: Int)] = []
        for (d, code) in resolved.overrides.sorted(by: { $0.key < $1.key }) {
            guard let n = coder.number(code: code, dimension: d) else { return nil }
            overrides.append((d, n))
        }
        (variable, breakdown, self.overrides) = (nil, 0, overrides)
    }
}

extension RuleEvaluator {
    /// What a reference names, resolved once, and its packed form for the table read. A class: evaluation
    /// passes it around for every cell, and a reference is cheaper to pass than its strings.
    final class Binding: Sendable {
        let reference: RuleReference
        let resolved: ResolvedReference
        let packed: PackedReference?

        init(reference: RuleReference, resolved: ResolvedReference, packed: PackedReference?) {
            self.reference = reference
            self.resolved = resolved
            self.packed = packed
        }
    }

    /// The table an evaluator reads, held by reference so that reading it never copies the struct.
    final class Table: Sendable {
        let cells: CellTable
        init(_ cells: CellTable) { self.cells = cells }
    }

    /// The subject for a country-year and, for `for_each` rules, the cell looked at.
    func subject(country: String, year: Int, this: CellKey?) -> RuleSubject {
        RuleSubject(
            country: country, countryNumber: table?.cells.coder.knownNumber(country: country), year: year, this: this,
            packedThis: this.flatMap { table?.cells.coder.encode($0) })
    }

    /// The subject for a `for_each` rule looking at a cell of the table read.
    func subject(packed this: PackedCellKey) -> RuleSubject {
        RuleSubject(
            country: table!.cells.coder.countries[this.country], countryNumber: this.country, year: this.year,
            this: nil,
            packedThis: this)
    }

    /// The binding of `reference`: bound up front, else resolved now (nil if it cannot be).
    func binding(_ reference: RuleReference) -> Binding? {
        // Linear: a rule names a few cells, and comparing references is cheaper than hashing them.
        // The offset first: it tells most references apart without comparing a string.
        if let bound = bindings.first(where: { $0.reference.offset == reference.offset && $0.reference == reference }) {
            return bound
        }
        guard case .success(let resolved) = questionnaire.resolve(reference, forEachTable: forEachTable) else {
            return nil
        }
        return Binding(
            reference: reference, resolved: resolved,
            packed: table.flatMap { PackedReference(resolved, coder: $0.cells.coder) })
    }

    /// The cell `binding` names for `subject`; nil where it names none (`this` outside a `for_each` rule).
    func target(_ binding: Binding, _ subject: RuleSubject) -> RuleTarget? {
        if let packed = binding.packed, let table, (0...0xFFFF).contains(subject.year) {
            if let v = packed.variable, let c = subject.countryNumber {
                return .packed(
                    table.cells.coder.pack(country: c, year: subject.year, variable: v, breakdown: packed.breakdown))
            }
            if packed.variable == nil, let this = subject.packedThis {
                var key = table.cells.coder.setting(this, year: subject.year)
                for o in packed.overrides { key = table.cells.coder.setting(key, dimension: o.dimension, to: o.code) }
                return .packed(key)
            }
        }
        return binding.resolved.key(country: subject.country, year: subject.year, this: thisText(subject)).map {
            .text($0)
        }
    }

    /// The text key of `this`, made from its packed key when only that is known.
    func thisText(_ subject: RuleSubject) -> CellKey? {
        subject.this ?? subject.packedThis.flatMap { table?.cells.coder.decode($0) }
    }

    /// What the return (or the fallback) has at `target`.
    func figure(_ target: RuleTarget) -> CellFigure? {
        switch target {
        case .text(let key): return cells.figure(key)
        case .packed(let key):
            let table = table!
            return table.cells.figure(packed: key) { table.cells.coder.decode(key) }
        }
    }

    /// The text key of `target`.
    func key(_ target: RuleTarget) -> CellKey {
        switch target {
        case .text(let key): return key
        case .packed(let key): return table!.cells.coder.decode(key)
        }
    }

    /// The code of `target` in dimension `d`.
    func code(_ target: RuleTarget, dimension d: Int) -> String {
        switch target {
        case .text(let key): return key.breakdown[d]
        case .packed(let key):
            let table = table!
            return table.cells.coder.code(table.cells.coder.code(of: key, dimension: d), dimension: d)
        }
    }

    /// `target` with dimension `d` set to `code`.
    func target(_ target: RuleTarget, dimension d: Int, code: String) -> RuleTarget {
        if case .packed(let key) = target, let table, let n = table.cells.coder.number(code: code, dimension: d) {
            return .packed(table.cells.coder.setting(key, dimension: d, to: n))
        }
        return .text(key(target).with(dimension: d, code: code))
    }

    func describe(_ target: RuleTarget) -> String { key(target).describe(dimensions: questionnaire.dimensionIDs) }
}
