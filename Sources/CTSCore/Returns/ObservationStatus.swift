/// SDMX observation status of a cell (code list CL_OBS_STATUS).
public enum ObservationStatus: String, Sendable, CaseIterable, Codable {
    /// A: normal value (the default when the status is empty).
    case normal = "A"
    /// B: break in series.
    case breakInSeries = "B"
    /// D: definition differs from the questionnaire's.
    case definitionDiffers = "D"
    /// E: estimated value; may be non-integer.
    case estimated = "E"
    /// P: provisional value.
    case provisional = "P"
    /// K: included in another category; the value is empty or counted elsewhere.
    case includedElsewhere = "K"
    /// W: includes another category.
    case includesOther = "W"
    /// L: missing: the figure exists but was not collected.
    case notCollected = "L"
    /// M: missing: the figure cannot exist or does not apply.
    case notApplicable = "M"

    /// What the status means, in words for a focal point.
    public var meaning: String {
        switch self {
        case .normal: "normal value"
        case .breakInSeries: "break in series"
        case .definitionDiffers: "definition differs"
        case .estimated: "estimated value"
        case .provisional: "provisional value"
        case .includedElsewhere: "included in another category"
        case .includesOther: "includes another category"
        case .notCollected: "missing: exists but not collected"
        case .notApplicable: "missing: not applicable"
        }
    }

    /// L and M mark a cell with no figure at all.
    public var isMissing: Bool { self == .notCollected || self == .notApplicable }
}
