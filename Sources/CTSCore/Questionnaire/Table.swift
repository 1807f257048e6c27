/// One variable of a questionnaire table: a count tied to an ICCS code (or to none, e.g. prison population).
public struct Variable: Sendable, Hashable {
    public var id: String
    public var label: String
    public var iccs: ICCSCode?
    /// A required variable must be reported (a value, or an empty value with status L, M or K) for every year.
    public var required: Bool
    public var location: SourceLocation?

    public init(id: String, label: String, iccs: ICCSCode?, required: Bool, location: SourceLocation? = nil) {
        self.id = id
        self.label = label
        self.iccs = iccs
        self.required = required
        self.location = location
    }
}

/// A questionnaire table: what is counted (the unit), how it may be broken down, and its variables.
public struct Table: Sendable, Hashable {
    public var id: String
    public var title: String
    /// What one counts, e.g. `offences`, `persons`, `victims`.
    public var unit: String
    /// The indicator the table's figures normalize to, e.g. `offences_recorded`.
    public var indicator: String
    /// Ids of the code lists this table is broken down by, in questionnaire order.
    public var breakdowns: [String]
    public var variables: [Variable]
    /// True for a table of national offence categories: its "variables" are the country's own codes,
    /// mapped to ICCS at ingest with a correspondence table.
    public var nationalCategories: Bool
    /// True when a yearly return must contain the table. A return without it is still accepted (a
    /// partial return, a correction); its completeness summary names the table as absent.
    public var required: Bool
    public var location: SourceLocation?

    public init(
        id: String, title: String, unit: String, indicator: String, breakdowns: [String],
        variables: [Variable], nationalCategories: Bool = false, required: Bool = false,
        location: SourceLocation? = nil
    ) {
        self.required = required
        self.id = id
        self.title = title
        self.unit = unit
        self.indicator = indicator
        self.breakdowns = breakdowns
        self.variables = variables
        self.nationalCategories = nationalCategories
        self.location = location
    }

    public func variable(_ id: String) -> Variable? { variables.first { $0.id == id } }

    /// Whether a return row may name `id` as its variable: a variable of the table, or, in a table of
    /// national offence categories, any national code that is not blank.
    public func accepts(variable id: String) -> Bool {
        nationalCategories ? !id.trimmingSpaces().isEmpty : variable(id) != nil
    }
}
