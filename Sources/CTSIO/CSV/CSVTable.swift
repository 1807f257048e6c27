import CTSCore

/// A small CSV file read whole, with its rows addressable by column name (for reference tables).
public struct CSVTable: Sendable {
    public var file: String
    public var header: [String]
    public var records: [CSVRecord]

    /// Reads the file; a ragged row or a missing `required` column is an error naming file and line.
    public static func read(path: String, required: [String]) throws -> CSVTable {
        var records: [CSVRecord] = []
        let parser = CSVStreamParser(file: path) { records.append($0) }
        try FileInput.forEachChunk(path) { try parser.feed($0) }
        try parser.finish()
        guard let header = records.first else {
            throw InputError(
                "\(path) has no header.", code: "file.empty", at: SourceLocation(file: path, line: 1, column: 1))
        }
        for column in required where !header.fields.contains(column) {
            throw InputError(
                "\(path) has no column \(column).", code: "reference.invalid",
                at: SourceLocation(file: path, line: 1, column: 1),
                fix: "Rebuild the reference tables with scripts/build_reference.py.")
        }
        for record in records.dropFirst() where record.fields.count != header.fields.count {
            throw InputError(
                "This row has \(record.fields.count) fields; the header has \(header.fields.count).",
                code: "csv.ragged-row", at: SourceLocation(file: path, line: record.line, column: 1))
        }
        return CSVTable(file: path, header: header.fields, records: Array(records.dropFirst()))
    }

    /// Every record of `bytes` (the header first), read as `encoding`; `file` names them in errors.
    public static func records(of bytes: [UInt8], file: String, encoding: TextEncoding = .utf8) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        let parser = CSVStreamParser(file: file, encoding: encoding) { records.append($0) }
        try parser.feed(bytes)
        try parser.finish()
        return records
    }

    /// The rows as dictionaries from column name to value.
    public var rows: [[String: String]] {
        records.map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }
    }
}
