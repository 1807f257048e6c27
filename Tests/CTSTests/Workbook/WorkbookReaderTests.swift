import CTSCore
import Foundation
import Testing
import ZIPFoundation

@testable import CTSIO

/// Reading `.xlsx` files: every form a cell can take, and returns read from a plain long table with
/// findings at the sheet and cell.
@Suite struct WorkbookReaderTests {
    @Test(arguments: [
        ("A1", 1, 1), ("Z9", 9, 26), ("AA10", 10, 27), ("$C$12", 12, 3), ("XFD1048576", 1_048_576, 16_384),
    ])
    func cellReferencesReadAndWriteBack(text: String, row: Int, column: Int) {
        let cell = CellReference(text)
        #expect(cell == CellReference(row: row, column: column))
        #expect(cell?.description == text.replacingOccurrences(of: "$", with: ""))
    }

    @Test(arguments: ["", "12", "C", "C0", "1C", "XFE1", "A1048577", "C-3"])
    func notCellReferences(text: String) {
        #expect(CellReference(text) == nil)
    }

    @Test func sheetNamesAreQuotedWhenNotAPlainWord() {
        #expect(SourceLocation(file: "f", line: 12, column: 3, sheet: "Homicide").description == "f:Homicide!C12")
        #expect(SourceLocation(file: "f", line: 2, column: 28, sheet: "Police offences").cellReference == "'Police offences'!AB2")
        #expect(SourceLocation(file: "f", line: 1, column: 1, sheet: "O'Brien").cellReference == "'O''Brien'!A1")
    }

    /// Shared strings (with rich-text runs and a phonetic reading left out), inline strings, numbers with
    /// a float's noise, numbers stored as text, built-in and custom date formats, booleans, errors,
    /// formulas with and without a saved result, cells without an `r`, and prefixed element names.
    @Test func everyKindOfCellIsRead() throws {
        let data = try XLSXFixture.make(
            sheets: [(
                "Data",
                """
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
                <row r="2"><c r="A2"><v>522.42999999999995</v></c><c r="B2" t="str"><v>1234</v></c>\
                <c r="C2" s="1"><v>45322</v></c><c r="D2" s="2"><v>45322.5</v></c><c r="E2" t="b"><v>1</v></c>\
                <c r="F2" t="e"><v>#DIV/0!</v></c></row>
                <row r="3"><c r="A3"><f>SUM(A1:A2)</f><v>7</v></c><c r="B3"><f>B1*2</f></c><c><v>3</v></c>\
                <c t="inlineStr"><is><t>inline</t></is></c></row>
                <x:row r="5"><x:c r="C5"><x:v>0.30000000000000004</x:v></x:c></x:row>
                """, ""
            )],
            strings: ["plain", "two runs"], numFmts: [(164, "dd/mm/yyyy\\ hh:mm")], cellFormats: [0, 14, 164])
        let workbook = try Workbook.read(data: data, name: "kinds.xlsx")
        let sheet = try #require(workbook.sheet("Data"))
        func cell(_ ref: String) -> WorkbookCell? { sheet[CellReference(ref)!] }
        #expect(cell("A1")?.text == "plain")
        #expect(cell("A2") == WorkbookCell(kind: .number, text: "522.43", number: 522.42999999999995))
        #expect(cell("B2")?.kind == .text && cell("B2")?.text == "1234")
        #expect(cell("C2")?.kind == .date && cell("C2")?.text == "2024-01-31")
        #expect(cell("D2")?.text == "2024-01-31T12:00:00")
        #expect(cell("E2")?.text == "TRUE")
        #expect(cell("F2")?.kind == .error && cell("F2")?.text == "#DIV/0!")
        #expect(cell("A3")?.text == "7" && cell("A3")?.formula == "SUM(A1:A2)")
        #expect(cell("B3")?.kind == .formulaWithoutValue && cell("B3")?.formula == "B1*2")
        #expect(cell("C3")?.text == "3")
        #expect(cell("D3")?.text == "inline")
        #expect(cell("C5")?.text == "0.3")
        #expect(cell("A4") == nil)
    }

    /// Excel's dates end at 9999-12-31; a date-formatted number outside them (or not finite) is its number.
    @Test(arguments: [("2958465", "9999-12-31"), ("2958466", "2958466"), ("-1", "-1"), ("1e300", "1e+300"), ("60", "1900-02-29")])
    func datesOutsideTheCalendarAreTheirNumber(serial: String, shown: String) throws {
        let data = try XLSXFixture.make(
            sheets: [("S", "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>\(serial)</v></c></row>", "")], cellFormats: [0, 14])
        #expect(try Workbook.read(data: data, name: "d.xlsx").sheet("S")?[CellReference("A1")!]?.text == shown)
    }

    @Test func richTextAndPhoneticReadingsInSharedStrings() throws {
        // Two runs, the second bold, and a phonetic reading that is not part of the text; the sheet's
        // part is named by an absolute path.
        let rich = try XLSXFixture.zip([
            ("xl/workbook.xml", "<workbook><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Target=\"/xl/worksheets/s.xml\"/></Relationships>"),
            ("xl/worksheets/s.xml", "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>"),
            ("xl/sharedStrings.xml", "<sst><si><r><t>Côte </t></r><r><rPr><b/></rPr><t>d&apos;Ivoire</t></r><rPh><t>コート</t></rPh></si></sst>"),
        ])
        #expect(try Workbook.read(data: rich, name: "r.xlsx").sheet("S")?[CellReference("A1")!]?.text == "Côte d'Ivoire")
    }

    @Test func mergedHeaderCellsReadInEveryColumnTheyCover() throws {
        let data = try XLSXFixture.make(sheets: [(
            "S", XLSXFixture.inlineRow(1, ["Title"]),
            "<mergeCells count=\"1\"><mergeCell ref=\"A1:C2\"/></mergeCells>"
        )])
        let sheet = try #require(try Workbook.read(data: data, name: "m.xlsx").sheet("S"))
        #expect(sheet.text(at: CellReference("C2")!) == "Title")
        #expect(sheet.text(at: CellReference("D1")!) == "")
    }

    /// What is not a workbook is one clear finding, never a crash or a header of `PK`.
    @Test(arguments: [
        ("truncated", [UInt8]([0x50, 0x4B, 0x03, 0x04, 1, 2, 3])),
        ("no workbook part", [UInt8](try! XLSXFixture.zip([("word/document.xml", "<w/>")]))),
        ("broken XML", [UInt8](try! XLSXFixture.zip([("xl/workbook.xml", "<workbook><sheets>")]))),
    ])
    func notAWorkbookIsOneFinding(label: String, bytes: [UInt8]) throws {
        let dir = TemporaryDirectory()
        let path = dir.write("KEN.csv", bytes: bytes)
        let parsed = try ReturnFixture.reader().check(path: path)
        #expect(parsed.findings.map(\.ruleID) == ["xlsx.unreadable"], "\(label): \(parsed.findings)")
        #expect(parsed.findings[0].message.contains("is not a readable"))
    }

    /// A real workbook cut short anywhere (a download broken off) is one finding; a damaged zip whose
    /// offsets point past its end once trapped inside ZIPFoundation's archives in memory (found by fuzzing).
    @Test(arguments: [100, 1000, 4096, 16_384, 50_000, 90_000])
    func aWorkbookCutShortIsOneFinding(length: Int) throws {
        let whole = try #require(FileManager.default.contents(atPath: Repo.path("Tests/Fixtures/xlsx/KEN-2021-typo.xlsx")))
        let dir = TemporaryDirectory()
        let path = dir.write("KEN-2021.xlsx", bytes: Array(whole.prefix(length)))
        let parsed = try ReturnFixture.reader().check(path: path)
        #expect(parsed.findings.map(\.ruleID) == ["xlsx.unreadable"], "\(parsed.findings)")
    }

    /// A plain long table on the first sheet: a title merged above the header, a year formatted as a
    /// date, a figure typed as text with a thousands separator, a formula without a result, a note in
    /// a column without a header, and a second sheet with content. Every one is reported at its cell.
    @Test func aLongTableIsReadWithFindingsAtTheirCells() throws {
        let header = ReturnFixture.header
        var rows = [XLSXFixture.inlineRow(1, ["Return of Kenya, 2020"]), XLSXFixture.inlineRow(3, header)]
        let required = ReturnFixture.requiredRows()
        for (i, fields) in required.enumerated() {
            rows.append(XLSXFixture.inlineRow(4 + i, fields))
        }
        let next = 4 + required.count
        // Year 2020 formatted as a date; "1,234" typed as text; a formula with no saved result.
        let valueColumn = XLSXFixture.letters(header.firstIndex(of: "value")! + 1)
        let yearColumn = XLSXFixture.letters(header.firstIndex(of: "year")! + 1)
        rows.append(
            "<row r=\"\(next)\"><c r=\"A\(next)\" t=\"inlineStr\"><is><t>KEN</t></is></c>"
                + "<c r=\"\(yearColumn)\(next)\" s=\"1\"><v>2020</v></c>"
                + "<c r=\"C\(next)\" t=\"inlineStr\"><is><t>police_offences</t></is></c>"
                + "<c r=\"D\(next)\" t=\"inlineStr\"><is><t>burglary</t></is></c>"
                + "<c r=\"\(valueColumn)\(next)\" t=\"inlineStr\"><is><t>1,234</t></is></c>"
                + "<c r=\"M\(next)\" t=\"inlineStr\"><is><t>stray note</t></is></c></row>")
        rows.append(
            "<row r=\"\(next + 1)\"><c r=\"A\(next + 1)\" t=\"inlineStr\"><is><t>KEN</t></is></c>"
                + "<c r=\"\(yearColumn)\(next + 1)\"><v>2020</v></c>"
                + "<c r=\"C\(next + 1)\" t=\"inlineStr\"><is><t>police_offences</t></is></c>"
                + "<c r=\"D\(next + 1)\" t=\"inlineStr\"><is><t>fraud</t></is></c>"
                + "<c r=\"\(valueColumn)\(next + 1)\"><f>SUM(H4:H5)</f></c></row>")
        let data = try XLSXFixture.make(
            sheets: [
                ("Return", rows.joined(), "<mergeCells><mergeCell ref=\"A1:J2\"/></mergeCells>"),
                ("Notes", XLSXFixture.inlineRow(1, ["checked by", "J. Doe"]), ""),
            ], cellFormats: [0, 14])
        let dir = TemporaryDirectory()
        let path = dir.write("KEN-2020.xlsx", bytes: [UInt8](data))
        let parsed = try ReturnFixture.reader().check(path: path)
        func at(_ rule: String) -> String? {
            parsed.findings.first { $0.ruleID == rule }?.location?.cellReference
        }
        #expect(at("value.thousands-separator") == "Return!\(valueColumn)\(next)", "\(parsed.findings)")
        #expect(at("xlsx.date-format") == "Return!\(yearColumn)\(next)")
        #expect(at("xlsx.formula-without-value") == "Return!\(valueColumn)\(next + 1)")
        #expect(at("xlsx.cell-not-read") == "Return!M\(next)")
        #expect(at("xlsx.sheet-not-read") == "Notes!A1")
        #expect(at("xlsx.rows-above-header") == "Return!A1")
        // The required rows were read as figures, every one.
        #expect(parsed.cellCount == required.count + 2)
        #expect(!parsed.findings.contains { $0.ruleID == "variable.required" })
        // The terminal names the file and the cell.
        #expect(parsed.findings.first { $0.ruleID == "value.thousands-separator" }?.location?.description
            == "\(path):Return!\(valueColumn)\(next)")
    }
}

/// A hostile workbook: a sheet that unpacks to more than any return holds (a zip bomb) is refused,
/// without unpacking it whole.
@Suite struct WorkbookBombTests {
    @Test func aPartThatUnpacksTooFarIsRefused() throws {
        let archive = try Archive(accessMode: .create)
        // The mechanism at a limit of 1 MB (the real one, 512 MB, would take a test many seconds to pack).
        let limit = 1 << 20
        let size = 3 * limit
        for (path, text) in [
            ("xl/workbook.xml", "<workbook><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/s.xml\"/></Relationships>"),
        ] {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                data.subdata(in: Int($0)..<Int($0) + $1)
            }
        }
        let spaces = Data(repeating: 0x20, count: 1 << 20)
        try archive.addEntry(
            with: "xl/worksheets/s.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
            bufferSize: 1 << 20
        ) { _, count in spaces.prefix(count) }
        let bomb = try #require(archive.data)
        #expect(bomb.count < limit)
        #expect(throws: InputError.self) { try Workbook.read(data: bomb, name: "bomb.xlsx", partLimit: limit) }
        do {
            _ = try Workbook.read(data: bomb, name: "bomb.xlsx", partLimit: limit)
        } catch let error as InputError {
            #expect(error.message.contains("its part xl/worksheets/s.xml unpacks to more than 1 MB"), "\(error.message)")
        }
        // Under the limit it is unpacked whole, and then found to be no sheet (only spaces).
        do {
            _ = try Workbook.read(data: bomb, name: "bomb.xlsx", partLimit: 4 * limit)
            Issue.record("spaces read as a sheet")
        } catch let error as InputError {
            #expect(error.message.contains("is broken at line 1"), "\(error.message)")
        }
        #expect(WorkbookPartsReader.partLimit == 512 << 20)
    }
}
