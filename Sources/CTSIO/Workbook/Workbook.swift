import CTSCore
import Foundation
import ZIPFoundation

/// A workbook (`.xlsx`) as cts reads it: its sheets in order with every cell's text. Shared and inline
/// strings, numbers, dates (by their cell style), booleans, errors and formulas (their cached result) are
/// all read; merged ranges are kept so a header merged across columns reads in each of them.
public struct Workbook: Sendable {
    public var file: String
    public var sheets: [Worksheet]

    public init(file: String, sheets: [Worksheet]) {
        self.file = file
        self.sheets = sheets
    }

    /// The sheet named `name`, if any.
    public func sheet(_ name: String) -> Worksheet? { sheets.first { $0.name == name } }

    /// Reads a workbook from its bytes; no part may unpack to more than `partLimit` bytes.
    ///
    /// The bytes are read through a private temporary file: ZIPFoundation's archives in memory trap on
    /// a damaged zip whose offsets point past its end (found by fuzzing), where its file archives fail
    /// with an error.
    public static func read(data: Data, name: String, partLimit: Int = WorkbookPartsReader.partLimit) throws -> Workbook {
        var template = Array((FileManager.default.temporaryDirectory.path + "/cts-workbook-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw InputError("Cannot make a temporary file to read \(name).", code: "file.unwritable",
                fix: "Check that the temporary folder ($TMPDIR) may be written.")
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(temporary) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == data.count else {
            throw InputError("Cannot write a temporary copy of \(name).", code: "file.unwritable")
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: temporary), accessMode: .read)
        } catch {
            throw notAWorkbook(name, "it is not a zip archive")
        }
        var reader = WorkbookPartsReader(file: name) { path in try WorkbookPartsReader.unpack(path, of: archive, file: name, limit: partLimit) }
        return Workbook(file: name, sheets: try reader.sheets())
    }

    /// Reads a workbook from its parts already unpacked, by path (`xl/workbook.xml`, …): for tests and
    /// the fuzzing harness, which reach the XML without a zip around it.
    public static func read(parts: [String: [UInt8]], name: String) throws -> Workbook {
        var reader = WorkbookPartsReader(file: name) { parts[$0] }
        return Workbook(file: name, sheets: try reader.sheets())
    }

    static func notAWorkbook(_ file: String, _ reason: String) -> InputError {
        InputError(
            "\(file) is not a readable .xlsx workbook: \(reason).", code: "xlsx.unreadable",
            at: SourceLocation(file: file, line: 1, column: 1),
            fix: "Save it from Excel or LibreOffice as \"Excel 2007-365 (.xlsx)\", or save the sheet as CSV (UTF-8).")
    }
}
