/// One CSV record: its fields and the 1-based physical line it starts on.
public struct CSVRecord: Sendable, Equatable {
    public var fields: [String]
    public var line: Int

    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}

/// How a CSV file is written, as detected from its first line.
public struct CSVDialect: Sendable, Equatable {
    /// `,`, `;` or tab.
    public var delimiter: UInt8
    public var hadByteOrderMark: Bool
    public var usesCRLF: Bool

    public var delimiterName: String {
        switch delimiter {
        case UInt8(ascii: ";"): "semicolon"
        case UInt8(ascii: "\t"): "tab"
        default: "comma"
        }
    }
}
