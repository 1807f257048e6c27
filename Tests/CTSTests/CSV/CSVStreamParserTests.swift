import CTSCore
import Testing

@testable import CTSIO

/// Feeds a parser `bytes` in chunks of `chunkSize` and returns what it produced.
func parseCSV(_ bytes: [UInt8], chunkSize: Int, encoding: TextEncoding = .utf8) throws -> ([CSVRecord], CSVDialect?) {
    var records: [CSVRecord] = []
    let parser = CSVStreamParser(file: "t.csv", encoding: encoding) { records.append($0) }
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + chunkSize)
        try parser.feed(Array(bytes[start..<end]))
        start = end
    }
    try parser.finish()
    return (records, parser.dialect)
}

/// Inputs whose records and lines must not depend on how the bytes arrive.
let csvCases: [(name: String, bytes: [UInt8], records: [CSVRecord], delimiter: UInt8)] = [
    (
        "plain", Array("a,b\n1,2\n".utf8), [.init(fields: ["a", "b"], line: 1), .init(fields: ["1", "2"], line: 2)], 44
    ),
    (
        "crlf and no final newline", Array("a,b\r\n1,2\r\n3,4".utf8),
        [
            .init(fields: ["a", "b"], line: 1), .init(fields: ["1", "2"], line: 2), .init(fields: ["3", "4"], line: 3),
        ], 44
    ),
    (
        "bom and semicolons", [0xEF, 0xBB, 0xBF] + Array("a;b\r\n\"x;y\";2\r\n".utf8),
        [.init(fields: ["a", "b"], line: 1), .init(fields: ["x;y", "2"], line: 2)], 59
    ),
    (
        "quoted newlines and blank lines", Array("a,b\n\n\"line1\nline2\",\"say \"\"hi\"\"\"\n\n5,6\n".utf8),
        [
            .init(fields: ["a", "b"], line: 1), .init(fields: ["line1\nline2", "say \"hi\""], line: 3),
            .init(fields: ["5", "6"], line: 6),
        ], 44
    ),
    (
        "tabs and unicode", Array("pays\tvaleur\nCôte d’Ivoire\t7\n".utf8),
        [.init(fields: ["pays", "valeur"], line: 1), .init(fields: ["Côte d’Ivoire", "7"], line: 2)], 9
    ),
    (
        "empty fields", Array("a,b,c\n,,\n1,,3\n".utf8),
        [
            .init(fields: ["a", "b", "c"], line: 1), .init(fields: ["", "", ""], line: 2),
            .init(fields: ["1", "", "3"], line: 3),
        ], 44
    ),
]

@Suite struct CSVStreamParserTests {
    @Test(arguments: csvCases.indices)
    func sameRecordsForEveryChunkSize(_ index: Int) throws {
        let c = csvCases[index]
        for size in 1...(c.bytes.count + 1) {
            let (records, dialect) = try parseCSV(c.bytes, chunkSize: size)
            #expect(records == c.records, "case \(c.name), chunk size \(size)")
            #expect(dialect?.delimiter == c.delimiter, "case \(c.name), chunk size \(size)")
        }
    }

    @Test func detectsBOMAndCRLF() throws {
        let (_, dialect) = try parseCSV([0xEF, 0xBB, 0xBF] + Array("a;b\r\n1;2\r\n".utf8), chunkSize: 2)
        #expect(dialect == CSVDialect(delimiter: UInt8(ascii: ";"), hadByteOrderMark: true, usesCRLF: true))
    }

    @Test(arguments: [1, 3, 64])
    func unterminatedQuoteNamesTheLineItStartsOn(_ size: Int) {
        let bytes = Array("a,b\n1,2\n3,\"open\nstill open\n".utf8)
        #expect {
            try parseCSV(bytes, chunkSize: size)
        } throws: { error in
            let e = error as! InputError
            return e.code == "csv.unterminated-quote" && e.location?.line == 3 && e.location?.column == 2
        }
    }

    @Test(arguments: [1, 5, 64])
    func strayQuoteIsRejectedWithItsLine(_ size: Int) {
        let bytes = Array("a,b\n1,2\n3,ab\"c\n".utf8)
        #expect {
            try parseCSV(bytes, chunkSize: size)
        } throws: { error in
            let e = error as! InputError
            return e.code == "csv.stray-quote" && e.location?.line == 3
        }
    }

    @Test(arguments: [1, 4, 64])
    func invalidUTF8SuggestsWindows1252(_ size: Int) {
        // "Côte" in Windows-1252: ô is the single byte 0xF4.
        let bytes = Array("name,n\n".utf8) + [0x43, 0xF4, 0x74, 0x65] + Array(",1\n".utf8)
        #expect {
            try parseCSV(bytes, chunkSize: size)
        } throws: { error in
            let e = error as! InputError
            return e.code == "csv.encoding" && e.location?.line == 2 && e.location?.column == 1
                && e.message.contains("Côte") && (e.fix ?? "").contains("--encoding windows-1252")
        }
    }

    @Test(arguments: [1, 2, 64])
    func windows1252IsTranscoded(_ size: Int) throws {
        let bytes = Array("name,n\n".utf8) + [0x43, 0xF4, 0x74, 0x65, 0x20, 0x64, 0x92, 0x49] + Array(",1\n".utf8)
        let (records, _) = try parseCSV(bytes, chunkSize: size, encoding: .windows1252)
        #expect(records.last?.fields == ["Côte d’I", "1"])
    }

    @Test func emptyFileIsAnError() {
        for bytes in [[UInt8](), [0xEF, 0xBB, 0xBF]] {
            #expect { try parseCSV(bytes, chunkSize: 8) } throws: { ($0 as! InputError).code == "file.empty" }
        }
    }

    @Test func utf16IsRejectedWithTheFix() {
        #expect {
            try parseCSV([0xFF, 0xFE, 0x61, 0x00], chunkSize: 8)
        } throws: { error in
            let e = error as! InputError
            return e.code == "csv.encoding" && (e.fix ?? "").contains("UTF-8")
        }
    }
}
