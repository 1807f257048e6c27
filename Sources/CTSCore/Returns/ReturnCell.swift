/// One cell of a return as received: its key, figure, status and note, and where it stands in the file.
public struct ReturnCell: Sendable, Hashable {
    public var key: CellKey
    /// The figure, or nil for an empty value.
    public var value: Double?
    /// The value exactly as written in the file, so a report never shows an altered figure.
    public var rawValue: String
    public var status: ObservationStatus
    public var note: String
    /// Line of the row in the file and column (field number) of its value.
    public var location: SourceLocation
    /// True when the value or status could not be read: the cell exists but has no usable figure.
    public var isInvalid: Bool
    /// True for a row that takes back a cell sent in an earlier return (`action` = `withdraw`).
    public var isWithdrawal: Bool

    public init(
        key: CellKey, value: Double?, rawValue: String, status: ObservationStatus, note: String,
        location: SourceLocation, isInvalid: Bool = false, isWithdrawal: Bool = false
    ) {
        self.key = key
        self.value = value
        self.rawValue = rawValue
        self.status = status
        self.note = note
        self.location = location
        self.isInvalid = isInvalid
        self.isWithdrawal = isWithdrawal
    }

    /// The figure this cell contributes to a sum: its value, 0 for K (counted in another category),
    /// nil when there is nothing to add (L, M, or an empty value).
    public var contribution: Double? {
        if isInvalid { return nil }
        if let value { return value }
        return status == .includedElsewhere ? 0 : nil
    }
}
