import CTSCore

/// A return as read from its file: the cells that could be keyed and every problem found while reading.
public struct ParsedReturn: Sendable {
    public var file: String
    public var dialect: CSVDialect?
    public var questionnaire: Questionnaire?
    public var cells: [ReturnCell]
    public var findings: [Finding]
    /// Data rows read (not counting the header and blank lines).
    public var rowCount: Int
}

/// Reads a return file: streams it through `CSVStreamParser` and decodes each row with `ReturnRowDecoder`.
///
/// Problems with the file itself (encoding, quotes, emptiness) become error findings so the report shows
/// them beside everything else; only a file that cannot be opened throws.
public struct ReturnReader: Sendable {
    public var catalog: QuestionnaireCatalog
    public var countries: CountryRegistry
    public var encoding: TextEncoding

    public init(catalog: QuestionnaireCatalog, countries: CountryRegistry, encoding: TextEncoding = .utf8) {
        self.catalog = catalog
        self.countries = countries
        self.encoding = encoding
    }

    /// Reads the file at `path`; `displayName` is the name used in locations (defaults to the path).
    /// Throws only when the file cannot be opened or read.
    public func read(path: String, displayName: String? = nil) throws -> ParsedReturn {
        try read(name: displayName ?? path) { parser in
            try FileInput.forEachChunk(path) { try parser.feed($0) }
        }
    }

    /// Reads a return from bytes fed in chunks of `chunkSize` (for tests and in-memory inputs).
    public func read(bytes: [UInt8], name: String, chunkSize: Int = FileInput.chunkSize) -> ParsedReturn {
        // Feeding memory cannot fail to read, so only the findings remain.
        (try? read(name: name) { parser in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + max(1, chunkSize))
                try bytes[start..<end].withUnsafeBytes { try parser.feed($0) }
                start = end
            }
        }) ?? ParsedReturn(file: name, dialect: nil, questionnaire: nil, cells: [], findings: [], rowCount: 0)
    }

    /// Runs `feed` on a fresh parser; problems in the content become findings, an unreadable file throws.
    private func read(name: String, feed: (CSVStreamParser) throws -> Void) throws -> ParsedReturn {
        var state = State(name: name, reader: self)
        let parser = CSVStreamParser(file: name, encoding: encoding) { record in state.consume(record) }
        do {
            try feed(parser)
            try parser.finish()
        } catch let error as InputError where error.code != "file.unreadable" {
            state.findings.append(error.finding)
        }
        return state.result(dialect: parser.dialect)
    }

    private struct State {
        var name: String
        var reader: ReturnReader
        var decoder: ReturnRowDecoder?
        var cells: [ReturnCell] = []
        var findings: [Finding] = []
        var rows = 0

        mutating func consume(_ record: CSVRecord) {
            guard var decoder else {
                let d = ReturnRowDecoder(
                    header: record.fields, file: name, catalog: reader.catalog, countries: reader.countries)
                findings += d.headerFindings
                decoder = d
                return
            }
            rows += 1
            let before = decoder.headerFindings.count
            let (cell, problems) = decoder.decode(record.fields, line: record.line)
            findings += decoder.headerFindings.dropFirst(before)
            findings += problems
            if let cell { cells.append(cell) }
            self.decoder = decoder
        }

        func result(dialect: CSVDialect?) -> ParsedReturn {
            var all = findings
            if decoder != nil, rows == 0, !all.contains(where: { $0.severity == .error }) {
                all.append(
                    Finding(
                        ruleID: "file.no-rows", severity: .error,
                        message: "The return has a header but no data rows.",
                        location: SourceLocation(file: name, line: 1, column: 1)))
            }
            return ParsedReturn(
                file: name, dialect: dialect, questionnaire: decoder?.questionnaire, cells: cells, findings: all,
                rowCount: rows)
        }
    }
}
