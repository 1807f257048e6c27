import CTSCore
import Foundation
import ZIPFoundation

/// Reads the parts of an xlsx archive: the workbook's sheet list and relationships, shared strings, the
/// cell styles that are dates, and each sheet's cells.
public struct WorkbookPartsReader {
    let file: String
    /// The bytes of the part at a path, nil when there is none.
    let part: (String) throws -> [UInt8]?
    private var sharedStrings: [String] = []
    /// For each cell style (`s`), whether its number format shows a date.
    private var dateStyles: [Bool] = []
    private var date1904 = false

    init(file: String, part: @escaping (String) throws -> [UInt8]?) {
        self.file = file
        self.part = part
    }

    /// The most a part may unpack to: far beyond any return (a sheet of a million cells is about 60 MB),
    /// and short of what a zip bomb would fill memory with.
    public static let partLimit = 512 << 20

    static func mb(_ bytes: Int) -> String { bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes) bytes" }

    /// The bytes of the part at `path`, nil when the archive has no such entry. The size the archive
    /// declares is not trusted: unpacking stops at `partLimit` whatever it says.
    static func unpack(_ path: String, of archive: Archive, file: String, limit: Int) throws -> [UInt8]? {
        guard let entry = archive[path] else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(min(entry.uncompressedSize, UInt64(1 << 20))))
        struct TooLarge: Error {}
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard bytes.count + chunk.count <= limit else { throw TooLarge() }
                bytes.append(contentsOf: chunk)
            }
        } catch is TooLarge {
            throw Workbook.notAWorkbook(file, "its part \(path) unpacks to more than \(mb(limit))")
        } catch {
            throw Workbook.notAWorkbook(file, "its part \(path) cannot be unpacked (\(error))")
        }
        return bytes
    }

    mutating func sheets() throws -> [Worksheet] {
        guard let workbookXML = try part("xl/workbook.xml") else {
            throw Workbook.notAWorkbook(file, "it has no xl/workbook.xml (is it an .xlsx, not an .xls or .ods?)")
        }
        var listed: [(name: String, id: String, state: String)] = []
        try XMLEvents.parse(workbookXML, file: file, part: "xl/workbook.xml") { event in
            guard case .start(let name, let attributes) = event else { return }
            if name == "sheet", let sheetName = attributes["name"], let id = attributes["id"] {
                listed.append((sheetName, id, attributes["state"] ?? "visible"))
            } else if name == "workbookPr", let flag = attributes["date1904"] {
                date1904 = flag == "1" || flag == "true"
            }
        }
        var targets: [String: String] = [:]
        if let rels = try part("xl/_rels/workbook.xml.rels") {
            try XMLEvents.parse(rels, file: file, part: "xl/_rels/workbook.xml.rels") { event in
                if case .start("Relationship", let attributes) = event, let id = attributes["Id"],
                    let target = attributes["Target"]
                {
                    targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                }
            }
        }
        if let strings = try part("xl/sharedStrings.xml") { sharedStrings = try readSharedStrings(strings) }
        if let styles = try part("xl/styles.xml") { dateStyles = try readDateStyles(styles) }
        return try listed.map { listed in
            guard let target = targets[listed.id], let bytes = try part(target) else {
                throw Workbook.notAWorkbook(file, "its sheet \"\(listed.name)\" has no part in the archive")
            }
            var sheet = Worksheet(name: listed.name, state: listed.state)
            try readSheet(bytes, part: target, into: &sheet)
            return sheet
        }
    }

    private func readSharedStrings(_ bytes: [UInt8]) throws -> [String] {
        var strings: [String] = []
        var current = ""
        var inText = false
        var phonetic = 0
        try XMLEvents.parse(bytes, file: file, part: "xl/sharedStrings.xml") { event in
            switch event {
            case .start("si", _): current = ""
            case .start("rPh", _): phonetic += 1
            case .end("rPh"): phonetic -= 1
            case .start("t", _): inText = phonetic == 0
            case .end("t"): inText = false
            case .text(let text) where inText: current += text
            case .end("si"): strings.append(current)
            default: break
            }
        }
        return strings
    }

    /// Which cell styles show dates: the built-in date formats (14–22, 45–47) and custom formats whose code
    /// has day, month or year letters outside quotes and brackets.
    private func readDateStyles(_ bytes: [UInt8]) throws -> [Bool] {
        var customDates: Set<Int> = []
        var styles: [Bool] = []
        var inCellXfs = false
        try XMLEvents.parse(bytes, file: file, part: "xl/styles.xml") { event in
            switch event {
            case .start("numFmt", let attributes):
                if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"],
                    Self.isDateFormat(code)
                {
                    customDates.insert(id)
                }
            case .start("cellXfs", _): inCellXfs = true
            case .end("cellXfs"): inCellXfs = false
            case .start("xf", let attributes) where inCellXfs:
                let id = attributes["numFmtId"].flatMap { Int($0) } ?? 0
                styles.append((14...22).contains(id) || (45...47).contains(id) || customDates.contains(id))
            default: break
            }
        }
        return styles
    }

    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        for c in code.lowercased() {
            switch c {
            case "\"": quoted.toggle()
            case "[": bracket = true
            case "]": bracket = false
            case "d", "m", "y", "h", "s": if !quoted && !bracket { return true }
            default: break
            }
        }
        return false
    }

    private func readSheet(_ bytes: [UInt8], part: String, into sheet: inout Worksheet) throws {
        var rows: [Worksheet.Row] = []
        var merged: [CellRange] = []
        var row = 0
        var column = 0
        var place = CellReference(row: 1, column: 1)
        var type = "n"
        var style = 0
        var value: String?
        var formula: String?
        var inline = ""
        var reading: Substring = ""
        try XMLEvents.parse(bytes, file: file, part: part) { event in
            switch event {
            case .start("row", let attributes):
                // Rows as a spreadsheet numbers them (1…1,048,576), whatever a damaged file says.
                row = min(max(attributes["r"].flatMap { Int($0) } ?? row + 1, 1), 1_048_576)
                column = 0
            case .start("c", let attributes):
                if let r = attributes["r"], let reference = CellReference(r) {
                    place = reference
                } else {
                    place = CellReference(row: max(row, 1), column: column + 1)
                }
                column = place.column
                type = attributes["t"] ?? "n"
                style = attributes["s"].flatMap { Int($0) } ?? 0
                value = nil
                formula = nil
                inline = ""
            case .start(let name, _) where name == "v" || name == "f" || name == "t":
                reading = name
                if name == "f" { formula = formula ?? "" }
            case .text(let text):
                switch reading {
                case "v": value = (value ?? "") + text
                case "f": formula = (formula ?? "") + text
                case "t": inline += text
                default: break
                }
            case .end(let name) where name == "v" || name == "f" || name == "t":
                reading = ""
            case .end("c"):
                if let cell = makeCell(type: type, style: style, value: value, formula: formula, inline: inline) {
                    if rows.last?.number == place.row {
                        rows[rows.count - 1].cells.append((place.column, cell))
                    } else {
                        rows.append(Worksheet.Row(number: place.row, cells: [(place.column, cell)]))
                    }
                }
            case .start("mergeCell", let attributes):
                if let ref = attributes["ref"], let range = CellRange(ref) { merged.append(range) }
            default: break
            }
        }
        sheet = Worksheet(name: sheet.name, state: sheet.state, rows: rows, merged: merged)
    }

    private func makeCell(type: String, style: Int, value: String?, formula: String?, inline: String) -> WorkbookCell? {
        if type == "inlineStr" {
            return WorkbookCell(kind: .text, text: inline, formula: formula)
        }
        guard let value else {
            return formula.map { WorkbookCell(kind: .formulaWithoutValue, text: "", formula: $0) }
        }
        switch type {
        case "s":
            let text = Int(value).flatMap { $0 >= 0 && $0 < sharedStrings.count ? sharedStrings[$0] : nil } ?? ""
            return WorkbookCell(kind: .text, text: text, formula: formula)
        case "str", "d":
            return WorkbookCell(kind: .text, text: value, formula: formula)
        case "b":
            return WorkbookCell(kind: .boolean, text: value == "1" ? "TRUE" : "FALSE", formula: formula)
        case "e":
            return WorkbookCell(kind: .error, text: value, formula: formula)
        default:
            guard let number = Double(value.trimmingCharacters(in: .whitespaces)) else {
                return WorkbookCell(kind: .text, text: value, formula: formula)
            }
            if dateStyles.indices.contains(style), dateStyles[style] {
                return WorkbookCell(kind: .date, text: Self.isoDate(number, date1904: date1904), number: number, formula: formula)
            }
            return WorkbookCell(kind: .number, text: WorkbookCell.digits(number), number: number, formula: formula)
        }
    }

    /// The day a serial number stands for (`2024-01-31`), with a time of day when it has one.
    static func isoDate(_ serial: Double, date1904: Bool) -> String {
        // Day 0 is 1899-12-30 in the 1900 system (its day 60 is a 29 February 1900 that never was), 1904-01-01
        // in the 1904 system.
        // Excel's dates run from day 0 to 9999-12-31 (2,958,465); anything else is shown as the number.
        guard serial.isFinite, (0..<2_958_466).contains(serial) else { return WorkbookCell.digits(serial) }
        var days = Int(serial.rounded(.down))
        if !date1904 && days == 60 { return "1900-02-29" }  // as Excel shows it, Lotus 1-2-3's leap day
        if !date1904 && days < 61 { days += 1 }
        let epoch = date1904 ? DateComponents(year: 1904, month: 1, day: 1) : DateComponents(year: 1899, month: 12, day: 30)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let start = calendar.date(from: epoch),
            let date = calendar.date(byAdding: .day, value: days, to: start)
        else { return WorkbookCell.digits(serial) }
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        var text = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        let seconds = Int(((serial - serial.rounded(.down)) * 86_400).rounded())
        if seconds > 0 {
            text += String(format: "T%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        }
        return text
    }
}
