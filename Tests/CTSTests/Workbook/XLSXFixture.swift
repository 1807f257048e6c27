import CTSCore
import Foundation
import ZIPFoundation

/// Builds `.xlsx` files by hand, part by part, so that tests can hold every form a workbook may take:
/// shared and inline strings, styles, formulas with and without results, prefixed element names.
enum XLSXFixture {
    /// A workbook of `sheets` (name and the XML inside `<sheetData>`, plus anything after it), with
    /// `strings` as its shared strings and `styles` as its `cellXfs` number formats.
    static func make(
        sheets: [(name: String, data: String, after: String)], strings: [String] = [],
        numFmts: [(id: Int, code: String)] = [], cellFormats: [Int] = [0], hidden: Set<String> = []
    ) throws -> Data {
        var parts: [(String, String)] = []
        let sheetList = sheets.enumerated().map { i, s in
            "<sheet name=\"\(s.name)\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\""
                + (hidden.contains(s.name) ? " state=\"hidden\"" : "") + "/>"
        }.joined()
        parts.append(("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"))
        parts.append((
            "xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>\(sheetList)</sheets></workbook>"
        ))
        let rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        parts.append(("xl/_rels/workbook.xml.rels", "<Relationships>\(rels)</Relationships>"))
        for (i, s) in sheets.enumerated() {
            parts.append((
                "xl/worksheets/sheet\(i + 1).xml",
                "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                    + "<sheetData>\(s.data)</sheetData>\(s.after)</worksheet>"
            ))
        }
        let si = strings.map { "<si><t xml:space=\"preserve\">\(escape($0))</t></si>" }.joined()
        parts.append(("xl/sharedStrings.xml", "<sst count=\"\(strings.count)\">\(si)</sst>"))
        let fmts = numFmts.map { "<numFmt numFmtId=\"\($0.id)\" formatCode=\"\(escape($0.code))\"/>" }.joined()
        let xfs = cellFormats.map { "<xf numFmtId=\"\($0)\"/>" }.joined()
        parts.append(("xl/styles.xml", "<styleSheet><numFmts>\(fmts)</numFmts><cellXfs>\(xfs)</cellXfs></styleSheet>"))
        return try zip(parts)
    }

    static func zip(_ parts: [(String, String)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        return archive.data!
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A row of inline strings: `<row r="N"><c r="A1" t="inlineStr"><is><t>…</t></is></c>…</row>`.
    static func inlineRow(_ row: Int, _ texts: [String]) -> String {
        "<row r=\"\(row)\">"
            + texts.enumerated().map { i, t in
                "<c r=\"\(letters(i + 1))\(row)\" t=\"inlineStr\"><is><t>\(escape(t))</t></is></c>"
            }.joined() + "</row>"
    }

    static func letters(_ column: Int) -> String { CellReference.letters(column) }
}
