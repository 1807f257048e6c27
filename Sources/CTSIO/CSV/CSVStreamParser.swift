import CCSV
import CTSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A streaming CSV parser on libcsv: feed it bytes in chunks of any size, and it hands over complete
/// records with the line each starts on. Memory holds one record at a time, whatever the file size.
///
/// It detects a UTF-8 byte-order mark and the delimiter (`,`, `;` or tab, from the first line), checks
/// that every field is valid UTF-8 (or transcodes Windows-1252 when told to), and reports unterminated
/// quotes and stray quotes with their line. Blank lines are skipped but counted.
public final class CSVStreamParser {
    public typealias RecordHandler = (CSVRecord) throws -> Void
    /// Receives each record as borrowed bytes (see `CSVRawRecord`), without a string per field.
    public typealias RawRecordHandler = (CSVRawRecord) throws -> Void

    public let file: String
    public let encoding: TextEncoding
    public private(set) var dialect: CSVDialect?

    private var parser = csv_parser()
    private let onRecord: RawRecordHandler
    private var prelude: [UInt8] = []
    private var transcoded: [UInt8] = []
    /// The current record, behind a pointer so the per-byte work pays no exclusivity checks.
    private let current = UnsafeMutablePointer<RecordBuffer>.allocate(capacity: 1)
    /// Where the parse is, behind a pointer for the same reason (it changes on every line).
    private let position = UnsafeMutablePointer<Position>.allocate(capacity: 1)
    private var sawAnyByte = false
    private var pendingError: (any Error)?
    private var finished = false
    /// The start of a line carried over from the previous chunk, while libcsv is between records.
    private var partial: [UInt8] = []
    /// True while libcsv is inside a record that a line it was given began (a quoted line feed).
    private var libcsvMidRecord = false
    /// False: every line goes to libcsv (to compare the two ways in tests).
    let splitsPlainLines: Bool

    /// - Parameters:
    ///   - file: the name used in error locations.
    ///   - onRecord: called for each record, in order; an error it throws stops the parse and is rethrown.
    public convenience init(file: String, encoding: TextEncoding = .utf8, onRecord: @escaping RecordHandler) {
        self.init(file: file, encoding: encoding, onRawRecord: { try onRecord($0.record) })
    }

    /// - Parameters:
    ///   - file: the name used in error locations.
    ///   - onRawRecord: called for each record, as borrowed bytes, in order; an error it throws stops the
    ///     parse and is rethrown.
    public convenience init(file: String, encoding: TextEncoding = .utf8, onRawRecord: @escaping RawRecordHandler) {
        self.init(file: file, encoding: encoding, splitsPlainLines: true, onRawRecord: onRawRecord)
    }

    init(file: String, encoding: TextEncoding, splitsPlainLines: Bool, onRawRecord: @escaping RawRecordHandler) {
        self.splitsPlainLines = splitsPlainLines
        self.file = file
        self.encoding = encoding
        self.onRecord = onRawRecord
        current.initialize(to: RecordBuffer())
        position.initialize(to: Position())
        csv_init(&parser, UInt8(CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI | CSV_APPEND_NULL))
    }

    deinit {
        csv_free(&parser)
        current.pointee.storage.deallocate()
        current.pointee.endScratch.deallocate()
        current.deinitialize(count: 1)
        current.deallocate()
        position.deinitialize(count: 1)
        position.deallocate()
    }

    /// Parses the next chunk of the file.
    public func feed(_ chunk: UnsafeRawBufferPointer) throws {
        precondition(!finished, "feed after finish")
        guard chunk.count > 0 else { return }
        sawAnyByte = true
        if dialect == nil {
            prelude.append(contentsOf: chunk)
            guard let detected = try detectDialect(final: false) else { return }
            try flushPrelude(detected)
        } else {
            try parse(chunk)
        }
    }

    /// Convenience for tests and small inputs.
    public func feed(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try feed($0) } }

    /// Ends the input: flushes the last record and reports an unterminated quote.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        if dialect == nil {
            guard sawAnyByte, let detected = try detectDialect(final: true) else {
                throw Self.emptyFile(file)
            }
            try flushPrelude(detected)
        }
        if !partial.isEmpty {
            // A last line without a line feed: libcsv ends it.
            let last = partial
            partial = []
            try last.withUnsafeBytes { try parseWithLibcsv($0) }
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let status = csv_fini(&parser, fieldCallback, recordCallback, context)
        if let pendingError { throw pendingError }
        if status != 0 {
            throw InputError(
                "A quoted value that starts on line \(position.pointee.recordLine) (field \(current.pointee.ends.count + 1)) is never closed.",
                code: "csv.unterminated-quote",
                at: SourceLocation(
                    file: file, line: position.pointee.recordLine, column: current.pointee.ends.count + 1),
                fix: "Add the closing double quote, or remove the opening one.")
        }
        if position.pointee.recordCount == 0 { throw Self.emptyFile(file) }
    }

    /// Adopts the detected dialect and parses the bytes held back while detecting it (minus any BOM).
    private func flushPrelude(_ detected: CSVDialect) throws {
        dialect = detected
        position.pointee.delimiter = detected.delimiter
        let rest = Array(prelude.dropFirst(detected.hadByteOrderMark ? 3 : 0))
        prelude = []
        try rest.withUnsafeBytes { try parse($0) }
    }

    private static func emptyFile(_ file: String) -> InputError {
        InputError(
            "The file is empty.", code: "file.empty", at: SourceLocation(file: file, line: 1, column: 1),
            fix: "Export the return again; it should start with a header line.")
    }

    private func detectDialect(final: Bool) throws -> CSVDialect? {
        if prelude.starts(with: [0xFF, 0xFE]) || prelude.starts(with: [0xFE, 0xFF]) {
            throw InputError(
                "The file is encoded as UTF-16.", code: "csv.encoding",
                at: SourceLocation(file: file, line: 1, column: 1),
                fix: "Save it as CSV UTF-8 (in Excel: Save As > CSV UTF-8).")
        }
        if !final && prelude.count < 3 && [0xEF, 0xBB, 0xBF].starts(with: prelude) { return nil }
        let bom = prelude.starts(with: [0xEF, 0xBB, 0xBF])
        var crlf = false
        var complete = false
        // The scan goes on where the last chunk's stopped: a first line without a line feed, fed in
        // chunks, is read once (rescanning it from the start each time took time quadratic in its length).
        var i = max(scan.position, bom ? 3 : 0)
        while i < prelude.count {
            let byte = prelude[i]
            if byte == UInt8(ascii: "\"") { scan.inQuotes.toggle() }
            if !scan.inQuotes {
                if byte == UInt8(ascii: "\n") {
                    crlf = i > 0 && prelude[i - 1] == UInt8(ascii: "\r")
                    complete = true
                    break
                }
                if scan.counts[byte] != nil { scan.counts[byte]! += 1 }
            }
            i += 1
        }
        dialectBytesScanned += i - max(scan.position, bom ? 3 : 0)
        scan.position = i
        guard complete || final else { return nil }
        let best = scan.counts.max { a, b in a.value < b.value || (a.value == b.value && a.key > b.key) }!
        let delimiter = best.value > 0 ? best.key : UInt8(ascii: ",")
        csv_set_delim(&parser, delimiter)
        return CSVDialect(delimiter: delimiter, hadByteOrderMark: bom, usesCRLF: crlf)
    }

    /// For a file read as Windows-1252: whether its bytes so far are also valid UTF-8 with at least one
    /// character beyond ASCII, i.e. whether it was most likely written in UTF-8 (read as Windows-1252,
    /// "Côte" becomes "CÃ´te").
    public var looksLikeUTF8: Bool { utf8.valid && utf8.nonASCII && utf8.pending == 0 }
    /// How many bytes the search for the separator has looked at, in all (for tests: each once).
    private(set) var dialectBytesScanned = 0
    /// How far the first line has been scanned for its separator, and what was counted.
    private var scan = (
        position: 0, inQuotes: false,
        counts: [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0] as [UInt8: Int]
    )
    private var utf8 = (valid: true, nonASCII: false, pending: 0)

    private func parse(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        if encoding == .windows1252 {
            if utf8.valid { checkUTF8(bytes) }
            transcoded.removeAll(keepingCapacity: true)
            if let bad = Windows1252.transcode(bytes, into: &transcoded) {
                throw InputError(
                    "Byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) is not a Windows-1252 character.",
                    code: "csv.encoding",
                    at: SourceLocation(
                        file: file, line: position.pointee.recordLine, column: current.pointee.ends.count + 1),
                    fix: "Check the file's encoding; try --encoding utf-8.")
            }
            try transcoded.withUnsafeBytes { try parseUTF8($0) }
        } else {
            try parseUTF8(bytes)
        }
    }

    /// Follows `bytes` through a UTF-8 validator whose state carries across chunks (`looksLikeUTF8`).
    private func checkUTF8(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes {
            if utf8.pending > 0 {
                guard b & 0xC0 == 0x80 else {
                    utf8.valid = false
                    return
                }
                utf8.pending -= 1
            } else if b >= 0x80 {
                utf8.nonASCII = true
                switch b {
                case 0xC2...0xDF: utf8.pending = 1
                case 0xE0...0xEF: utf8.pending = 2
                case 0xF0...0xF4: utf8.pending = 3
                default:
                    utf8.valid = false
                    return
                }
            }
        }
    }

    /// Splits plain lines itself and leaves every other line to libcsv.
    ///
    /// Most lines of a return are printable ASCII with no quote, space or tab: splitting those at the
    /// delimiter gives exactly what libcsv gives, in a fraction of its time. A line with anything else
    /// (quotes, spaces that libcsv trims, other bytes to check as UTF-8, a blank line) goes to libcsv
    /// whole, and so does everything after it until libcsv is between records again. A line split over
    /// two chunks is put together first.
    private func parseUTF8(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var i = 0
        while i < bytes.count {
            let lineFeed = memchr(base + i, 0x0A, bytes.count - i)
            let end = lineFeed.map { UnsafeRawPointer($0) - base + 1 } ?? bytes.count
            let piece = UnsafeRawBufferPointer(rebasing: bytes[i..<end])
            i = end
            if libcsvMidRecord {
                try parseWithLibcsv(piece)
                if lineFeed != nil && parser.pstate == 0 { libcsvMidRecord = false }
            } else if lineFeed == nil {
                partial.append(contentsOf: piece)
            } else if partial.isEmpty {
                try line(piece)
            } else {
                partial.append(contentsOf: piece)
                let whole = partial
                partial.removeAll(keepingCapacity: true)
                try whole.withUnsafeBytes { try line($0) }
            }
        }
    }

    /// One line, its line feed included, starting a record.
    private func line(_ line: UnsafeRawBufferPointer) throws {
        var length = line.count - 1
        if length > 0 && line[length - 1] == 0x0D { length -= 1 }
        if splitsPlainLines, length > 0,
            let fields = current.pointee.splitPlain(
                line.baseAddress!, length: length, delimiter: position.pointee.delimiter)
        {
            position.pointee.recordCount += 1
            // The fields are read where they lie in the line, a delimiter apart.
            try onRecord(
                CSVRawRecord(
                    line: position.pointee.recordLine,
                    bytes: UnsafeRawBufferPointer(start: line.baseAddress, count: length),
                    ends: UnsafeBufferPointer(start: current.pointee.endScratch, count: fields), separator: 1))
            // As libcsv counts a record ended by LF or CRLF.
            position.pointee.recordLine += 1
            position.pointee.lastTerminatorWasCR = false
            return
        }
        try parseWithLibcsv(line)
        // ROW_NOT_BEGUN: the line ended its record; else a quoted value goes on.
        if parser.pstate != 0 { libcsvMidRecord = true }
    }

    private func parseWithLibcsv(_ bytes: UnsafeRawBufferPointer) throws {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let parsed = csv_parse(&parser, bytes.baseAddress, bytes.count, fieldCallback, recordCallback, context)
        if let pendingError { throw pendingError }
        if parsed != bytes.count {
            // Strict mode stops at a quote in the wrong place; count the lines consumed before it.
            let line = position.pointee.recordLine + current.pointee.newlines
            throw InputError(
                "A double quote in field \(current.pointee.ends.count + 1) is misplaced: a quoted value must be quoted from its "
                    + "first to its last character, with quotes inside it doubled (\"\").",
                code: "csv.stray-quote",
                at: SourceLocation(file: file, line: line, column: current.pointee.ends.count + 1),
                fix: "Put the whole value in quotes and write each inner quote as \"\", or remove the stray quote.")
        }
    }

    fileprivate func receiveField(_ pointer: UnsafeMutableRawPointer?, _ length: Int) {
        guard !current.pointee.failed else { return }
        let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
        var high: UInt8 = 0
        for byte in buffer {
            high |= byte
            if byte == UInt8(ascii: "\n") { current.pointee.newlines += 1 }
        }
        // Only a field with a byte above 0x7F can be invalid UTF-8.
        if high >= 0x80, String(validating: buffer, as: UTF8.self) == nil {
            pendingError = encodingError(buffer)
            current.pointee.failed = true
            return
        }
        current.pointee.append(buffer)
    }

    fileprivate func receiveEnd(_ terminator: Int32) {
        guard !current.pointee.failed else { return }
        let isLF = terminator == 0x0A
        let isCR = terminator == 0x0D
        // The LF of a CRLF arrives as an empty row right after the CR's row end: it is not a new line.
        let countsAsLine = isCR || (isLF && !(position.pointee.lastTerminatorWasCR && current.pointee.ends.isEmpty))
        position.pointee.lastTerminatorWasCR = isCR
        if !current.pointee.ends.isEmpty {
            position.pointee.recordCount += 1
            do {
                let bytes = current.pointee.bytes
                try current.pointee.ends.withUnsafeBufferPointer { ends in
                    try onRecord(CSVRawRecord(line: position.pointee.recordLine, bytes: bytes, ends: ends))
                }
            } catch {
                pendingError = error
                current.pointee.failed = true
            }
            current.pointee.removeAll()
        }
        if countsAsLine { position.pointee.recordLine += 1 }
        position.pointee.recordLine += current.pointee.newlines
        current.pointee.newlines = 0
    }

    /// The line the next record starts on, how the last one ended, how many records there were, and the
    /// dialect's delimiter.
    struct Position {
        var delimiter: UInt8 = 0
        var recordLine = 1
        var lastTerminatorWasCR = false
        var recordCount = 0
    }

    private func encodingError(_ bytes: UnsafeRawBufferPointer) -> InputError {
        let valid = Array(bytes)
        let badIndex = firstInvalidUTF8(valid)
        let bad = valid[badIndex]
        let asWindows = Windows1252.decode(valid)
        let sample = asWindows.count > 40 ? String(asWindows.prefix(40)) + "…" : asWindows
        return InputError(
            "The file is not valid UTF-8: field \(current.pointee.ends.count + 1) has byte 0x\(String(bad, radix: 16, uppercase: true)) "
                + "at position \(badIndex + 1). Read as Windows-1252 the field would be \"\(sample)\".",
            code: "csv.encoding",
            at: SourceLocation(
                file: file, line: position.pointee.recordLine + current.pointee.newlines,
                column: current.pointee.ends.count + 1),
            fix: "If the file was saved by Excel on Windows, run again with --encoding windows-1252, "
                + "or save it as CSV UTF-8.")
    }

    private func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            if length == 0 || i + length > bytes.count { return i }
            if String(validating: bytes[i..<(i + length)], as: UTF8.self) == nil { return i }
            i += length
        }
        return 0
    }
}

private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
    pointer, length, context in
    // The parser outlives every callback: no retain is needed to call it.
    Unmanaged<CSVStreamParser>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.receiveField(pointer, length) }
}

private let recordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, context in
    Unmanaged<CSVStreamParser>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.receiveEnd(terminator) }
}
