import CTSCore

/// A return as read from its file: the cells that could be keyed and every problem found while reading.
public struct ParsedReturn: Sendable {
    public var file: String
    public var dialect: CSVDialect?
    public var questionnaire: Questionnaire?
    /// Every cell in file order; empty when the return was only checked (`ReturnReader.check`).
    public var cells: [ReturnCell]
    /// Reading problems, and for `ReturnReader.check` the findings of every check, in the order found
    /// (`ReturnReport` puts them in report order).
    public var findings: [Finding]
    /// Findings beyond `FindingLimit.perRule` of one rule: counted, not kept.
    public var omitted: [OmittedFindings] = []
    /// Data rows read (not counting the header and blank lines).
    public var rowCount: Int
    /// Cells read (duplicates included), and the countries and years they are for, sorted.
    public var cellCount: Int
    public var countries: [String]
    public var years: [Int]
}

/// Reads a return file: streams it through `CSVStreamParser` and decodes each row with `ReturnRowDecoder`.
///
/// Rows are decoded from their bytes into packed cells (`CellTable`); only a row with something to
/// report goes through strings. Problems with the file itself (encoding, quotes, emptiness) become error
/// findings so the report shows them beside everything else; only a file that cannot be opened throws.
public struct ReturnReader: Sendable {
    public var catalog: QuestionnaireCatalog
    public var countries: CountryRegistry
    public var encoding: TextEncoding
    /// Populations to hold counts against (`Validator.magnitudes`); nil: not compared.
    public var population: Population?

    public init(
        catalog: QuestionnaireCatalog, countries: CountryRegistry, encoding: TextEncoding = .utf8,
        population: Population? = nil
    ) {
        self.catalog = catalog
        self.countries = countries
        self.encoding = encoding
        self.population = population
    }

    /// Reads the file at `path`, keeping every cell; `displayName` is the name used in locations (defaults
    /// to the path). Throws only when the file cannot be opened or read.
    public func read(path: String, displayName: String? = nil) throws -> ParsedReturn {
        try run(name: displayName ?? path, mode: .read) { parser in
            try FileInput.forEachChunk(path) { try parser.feed($0) }
        }
    }

    /// Reads and checks the file at `path` (every check of `Validator`), keeping the cells only when
    /// `keepingCells`. Without them, memory holds one country's cells at a time when each country's rows
    /// come together, as in every return cts writes; otherwise the whole return. With `history`, the
    /// checks read the store's figures of each reporter where the return holds none.
    public func check(
        path: String, displayName: String? = nil, keepingCells: Bool = false, history: ReturnHistory? = nil
    ) throws -> ParsedReturn {
        let name = displayName ?? path
        let feed: (CSVStreamParser) throws -> Void = { parser in
            try FileInput.forEachChunk(path) { try parser.feed($0) }
        }
        if !keepingCells, let checked = try attempt(name: name, mode: .checkByCountry(history), feed: feed) {
            return checked
        }
        return try run(name: name, mode: .check(keepingCells: keepingCells, history), feed: feed)
    }

    /// Reads the file at `path` and hands each cell to `receive` as it is read, holding none: for storing
    /// a return already checked. `onBytes` sees every byte read (to hash them). Returns the reading
    /// problems and counts; an error `receive` throws stops the reading and is rethrown. `receive` owns
    /// the cell it is given (keeping it costs no copy), and gets its packed key too, whose numbers stand for
    /// the same country, variable and breakdown throughout one reading.
    public func forEachCell(
        path: String, displayName: String? = nil, onBytes: @escaping (UnsafeRawBufferPointer) -> Void = { _ in },
        _ receive: @escaping (consuming ReturnCell, PackedCellKey) throws -> Void
    ) throws -> ParsedReturn {
        try run(name: displayName ?? path, mode: .stream(receive)) { parser in
            try FileInput.forEachChunk(path) { chunk in
                onBytes(chunk)
                try parser.feed(chunk)
            }
        }
    }

    /// Reads a return from bytes fed in chunks of `chunkSize` (for tests and in-memory inputs).
    public func read(bytes: [UInt8], name: String, chunkSize: Int = FileInput.chunkSize) -> ParsedReturn {
        // Feeding memory cannot fail to read, so only the findings remain.
        (try? run(name: name, mode: .read) { parser in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + max(1, chunkSize))
                try bytes[start..<end].withUnsafeBytes { try parser.feed($0) }
                start = end
            }
        })
            ?? ParsedReturn(
                file: name, dialect: nil, questionnaire: nil, cells: [], findings: [], omitted: [], rowCount: 0,
                cellCount: 0,
                countries: [], years: [])
    }

    private func run(name: String, mode: ReturnReaderState.Mode, feed: (CSVStreamParser) throws -> Void) throws
        -> ParsedReturn
    {
        try attempt(name: name, mode: mode, feed: feed)!
    }

    /// Runs `feed` on a fresh parser; problems in the content become findings, an unreadable file throws.
    /// Nil when a country-by-country check met a country's rows again after other countries.
    private func attempt(name: String, mode: ReturnReaderState.Mode, feed: (CSVStreamParser) throws -> Void) throws
        -> ParsedReturn?
    {
        // Behind a pointer: a variable captured by the parser's closure would pay a run-time exclusivity
        // check on every row.
        let state = UnsafeMutablePointer<ReturnReaderState>.allocate(capacity: 1)
        state.initialize(to: ReturnReaderState(name: name, reader: self, mode: mode))
        defer {
            state.deinitialize(count: 1)
            state.deallocate()
        }
        let parser = CSVStreamParser(file: name, encoding: encoding) { try state.pointee.consume($0) }
        do {
            try feed(parser)
            try parser.finish()
        } catch is ReturnReaderState.CountryAgain {
            return nil
        } catch let error as ReturnReaderState.ReceiverError {
            throw error.error
        } catch let error as InputError where error.code != "file.unreadable" {
            state.pointee.findings.append(error.finding)
        }
        var result = state.pointee.result(dialect: parser.dialect)
        if parser.looksLikeUTF8 {
            result.findings.insert(
                Finding(
                    ruleID: "csv.encoding-looks-utf8", severity: .error,
                    message: "The file was read as Windows-1252 (--encoding), but it is valid UTF-8: its accented "
                        + "letters and symbols were read wrongly (\"Côte\" as \"CÃ´te\"). Leave out --encoding "
                        + "to read it as UTF-8.",
                    location: SourceLocation(file: name, line: 1, column: 1)), at: 0)
        }
        return result
    }
}
