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

/// One record as bytes, borrowed from the parser: valid only inside the callback that receives it.
/// Every field is valid UTF-8 (the parser checked it). Reading a field copies nothing.
public struct CSVRawRecord {
    /// Line the record starts on (1-based).
    public let line: Int
    /// The fields' bytes, one after another, or `separator` bytes apart.
    public let bytes: UnsafeRawBufferPointer
    /// Where each field ends in `bytes`.
    public let ends: UnsafeBufferPointer<Int>
    /// Bytes between one field's end and the next one's start: 0 when the fields were put one after
    /// another, 1 when `bytes` is the line itself with a delimiter between fields.
    public let separator: Int

    public init(line: Int, bytes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<Int>, separator: Int = 0) {
        self.line = line
        self.bytes = bytes
        self.ends = ends
        self.separator = separator
    }

    public var count: Int { ends.count }

    /// The bytes of field `i`.
    @inlinable public func field(_ i: Int) -> UnsafeRawBufferPointer {
        let start = i == 0 ? 0 : ends[i - 1] + separator
        return UnsafeRawBufferPointer(rebasing: bytes[start..<ends[i]])
    }

    /// Field `i` as a string.
    public func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// The record with its fields as strings.
    public var record: CSVRecord { CSVRecord(fields: (0..<count).map(string), line: line) }
}
