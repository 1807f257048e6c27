import CTSCore
import Foundation

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
        let name = displayName ?? path
        return try run(name: name, mode: .read, source: try Source.open(path, name: name))
    }

    /// Reads and checks the file at `path` (every check of `Validator`), keeping the cells only when
    /// `keepingCells`. Without them, memory holds one country's cells at a time when each country's rows
    /// come together, as in every return cts writes; otherwise the whole return. With `history`, the
    /// checks read the store's figures of each reporter where the return holds none.
    public func check(
        path: String, displayName: String? = nil, keepingCells: Bool = false, history: ReturnHistory? = nil
    ) throws -> ParsedReturn {
        let name = displayName ?? path
        let source = try Source.open(path, name: name)
        if !keepingCells, let checked = try attempt(name: name, mode: .checkByCountry(history), source: source) {
            return checked
        }
        return try run(name: name, mode: .check(keepingCells: keepingCells, history), source: source)
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
        let name = displayName ?? path
        let source = try Source.open(path, name: name, onBytes: onBytes)
        guard let workbook = source.workbook else {
            return try run(name: name, mode: .stream(receive), source: source)
        }
        // A workbook's cells are placed at their sheet and cell as they are handed on.
        return try run(
            name: name,
            mode: .stream { cell, key in
                var cell = cell
                cell.location = workbook.relocate(cell.location)
                try receive(cell, key)
            }, source: source)
    }

    /// Reads a return from bytes fed in chunks of `chunkSize` (for tests and in-memory inputs).
    public func read(bytes: [UInt8], name: String, chunkSize: Int = FileInput.chunkSize) -> ParsedReturn {
        // Feeding memory cannot fail to read, so only the findings remain.
        (try? run(name: name, mode: .read, source: .bytes(bytes, chunkSize: chunkSize)))
            ?? ParsedReturn(
                file: name, dialect: nil, questionnaire: nil, cells: [], findings: [], omitted: [], rowCount: 0,
                cellCount: 0,
                countries: [], years: [])
    }

    private func run(name: String, mode: ReturnReaderState.Mode, source: Source) throws -> ParsedReturn {
        try attempt(name: name, mode: mode, source: source)!
    }

    /// Runs `feed` on a fresh parser; problems in the content become findings, an unreadable file throws.
    /// Nil when a country-by-country check met a country's rows again after other countries.
    private func attempt(name: String, mode: ReturnReaderState.Mode, source: Source) throws -> ParsedReturn? {
        if case .unreadableWorkbook(let error) = source {
            return ParsedReturn(
                file: name, dialect: nil, questionnaire: nil, cells: [], findings: [error.finding], rowCount: 0,
                cellCount: 0, countries: [], years: [])
        }
        // Behind a pointer: a variable captured by the parser's closure would pay a run-time exclusivity
        // check on every row.
        let state = UnsafeMutablePointer<ReturnReaderState>.allocate(capacity: 1)
        state.initialize(to: ReturnReaderState(name: name, reader: self, mode: mode))
        defer {
            state.deinitialize(count: 1)
            state.deallocate()
        }
        // A workbook's CSV form is UTF-8 whatever --encoding says.
        let parser = CSVStreamParser(file: name, encoding: source.workbook == nil ? encoding : .utf8) {
            try state.pointee.consume($0)
        }
        do {
            try source.feed(parser)
            try parser.finish()
        } catch is ReturnReaderState.CountryAgain {
            return nil
        } catch let error as ReturnReaderState.ReceiverError {
            throw error.error
        } catch let error as InputError where error.code != "file.unreadable" {
            state.pointee.findings.append(error.finding)
        }
        var result = state.pointee.result(dialect: parser.dialect)
        if let workbook = source.workbook {
            result.findings = workbook.findings + result.findings.map(workbook.relocate)
            for i in result.cells.indices { result.cells[i].location = workbook.relocate(result.cells[i].location) }
        }
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

extension ReturnReader {
    /// Where a return's bytes come from: a CSV file as it is, bytes in memory, or a workbook (a file that
    /// starts as a zip does, whatever its name) turned into its CSV form (`WorkbookReturn`).
    enum Source {
        case file(String, onBytes: (UnsafeRawBufferPointer) -> Void = { _ in })
        case bytes([UInt8], chunkSize: Int)
        case workbook(WorkbookReturn)
        /// A file that starts as a zip but is no readable workbook: one error finding.
        case unreadableWorkbook(InputError)

        static func open(
            _ path: String, name: String, onBytes: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }
        ) throws -> Source {
            guard FileInput.startsAsZip(path) else { return .file(path, onBytes: onBytes) }
            let bytes = try FileInput.readAll(path, limit: 256 << 20)
            bytes.withUnsafeBytes { onBytes($0) }
            do {
                let workbook = try Workbook.read(data: Data(bytes), name: name)
                return .workbook(WorkbookReturn(workbook))
            } catch let error as InputError {
                return .unreadableWorkbook(error)
            }
        }

        var workbook: WorkbookReturn? {
            if case .workbook(let w) = self { return w }
            return nil
        }

        func feed(_ parser: CSVStreamParser) throws {
            switch self {
            case .file(let path, let onBytes):
                try FileInput.forEachChunk(path) { chunk in
                    onBytes(chunk)
                    try parser.feed(chunk)
                }
            case .bytes(let bytes, let chunkSize):
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + max(1, chunkSize))
                    try bytes[start..<end].withUnsafeBytes { try parser.feed($0) }
                    start = end
                }
            case .workbook(let workbook):
                try workbook.csv.withUnsafeBytes { try parser.feed($0) }
            case .unreadableWorkbook:
                break
            }
        }
    }
}
