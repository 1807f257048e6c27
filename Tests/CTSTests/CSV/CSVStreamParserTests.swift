import CTSCore
import Foundation
import Testing

@testable import CTSIO

/// Feeds `parser` `bytes` in chunks of `chunkSize`, then finishes it.
func feed(_ parser: CSVStreamParser, _ bytes: [UInt8], chunkSize: Int) throws {
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + chunkSize)
        try parser.feed(Array(bytes[start..<end]))
        start = end
    }
    try parser.finish()
}

/// Feeds a parser `bytes` in chunks of `chunkSize` and returns what it produced.
func parseCSV(_ bytes: [UInt8], chunkSize: Int, encoding: TextEncoding = .utf8) throws -> ([CSVRecord], CSVDialect?) {
    var records: [CSVRecord] = []
    let parser = CSVStreamParser(file: "t.csv", encoding: encoding) { records.append($0) }
    try feed(parser, bytes, chunkSize: chunkSize)
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

    /// A first line without a line feed, fed in chunks, is scanned for its separator once: it was
    /// rescanned from the start for every chunk (8 MB took 6 s).
    @Test(arguments: [1, 4096, 65536])
    func aLongFirstLineIsScannedOnce(_ size: Int) throws {
        let length = size == 1 ? 20_000 : 1_000_000
        let bytes = [0xEF, 0xBB, 0xBF] + Array(repeating: UInt8(ascii: "a"), count: length)
        let parser = CSVStreamParser(file: "long.csv", onRecord: { _ in })
        var start = 0
        while start < bytes.count {
            try bytes[start..<min(bytes.count, start + size)].withUnsafeBytes { try parser.feed($0) }
            start += size
        }
        #expect(parser.dialectBytesScanned == length)
        try parser.finish()
        #expect(parser.dialect?.hadByteOrderMark == true)
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

/// Plain lines are split without libcsv; every other line goes to libcsv. Both ways must give the same
/// records, lines and errors, whatever the chunks.
@Suite struct PlainLineTests {
    /// Records as (line, fields), or the error's code and location.
    static func parse(_ bytes: [UInt8], chunkSize: Int, plain: Bool, encoding: TextEncoding = .utf8) -> String {
        var out: [String] = []
        let parser = CSVStreamParser(file: "t.csv", encoding: encoding, splitsPlainLines: plain) { raw in
            out.append("\(raw.line):\(raw.record.fields)")
        }
        do {
            try feed(parser, bytes, chunkSize: chunkSize)
        } catch let error as InputError {
            out.append("error \(error.code) at \(error.location.map { "\($0.line):\($0.column)" } ?? "-")")
        } catch {
            out.append("error \(error)")
        }
        return out.joined(separator: "\n")
    }

    static let tricky: [String] = [
        "a,b\n1,2\n",
        "a,b\r\n1,2\r\n3,4",
        "a,b\n\n\n1,2\n\r\n3,4\n",
        "a,b\n\"x\ny\",2\n3,4\n\"p\",\"q\"\n5,6\n",
        "a,b\n1, 2\n 3,4\n5,6 \n7,8\n",
        "a,b\n1,\"2\"\"\"\n3,4\n",
        "a,b\n1,x\"y\n3,4\n",
        "a,b\n1,2\n\"open,3\n4,5\n",
        "a,b\nCôte d’Ivoire,1\n2,3\n",
        "a;b\n1;2,5\n3;4\n",
        "a\tb\n1\t2\n3 \t 4\n",
        "a,b\n1,2\r3,4\n5,6\n",
        ",,\n,\n,,,\n",
        "a,b\n1,\u{7F}\n\u{01},2\n",
        "a,b\n1,2",
        "a,b\n1,2\n\"multi\r\nline\",3\r\n4,5\r\n",
    ]

    @Test(arguments: tricky.indices) func plainLinesParseAsLibcsvDoes(_ index: Int) {
        let bytes = Array(Self.tricky[index].utf8)
        let reference = Self.parse(bytes, chunkSize: bytes.count + 1, plain: false)
        for size in 1...(bytes.count + 1) {
            #expect(Self.parse(bytes, chunkSize: size, plain: true) == reference, "chunk size \(size)")
        }
    }

    /// Plain lines are classified eight bytes at a time: every byte value at every place of a word, and
    /// delimiters at the edges of words, must give what libcsv gives.
    @Test(arguments: [",", ";", "\t"]) func everyByteAtEveryPlaceOfAWord(_ delimiter: String) {
        let d = UInt8(ascii: Unicode.Scalar(delimiter)!)
        let header = Array("a\(delimiter)b\(delimiter)c\n".utf8)
        // 17 bytes: delimiters at 7 and 8 (the edge of the first word) and at 16 (the last byte).
        let line: [UInt8] = Array("abcdefg".utf8) + [d, d] + Array("1234567".utf8) + [d]
        for position in line.indices {
            for value in UInt8.min...UInt8.max {
                var bytes = line
                bytes[position] = value
                let input = header + bytes + Array("\nx\(delimiter)y\(delimiter)z\n".utf8)
                let plain = Self.parse(input, chunkSize: 64, plain: true)
                let reference = Self.parse(input, chunkSize: 64, plain: false)
                if plain != reference {
                    Issue.record("byte 0x\(String(value, radix: 16)) at \(position): \(plain) != \(reference)")
                    return
                }
            }
        }
        // Lines of every length around a word, all plain.
        for length in 1...24 {
            let fields = (0..<length).map { i in i % 5 == 4 ? d : UInt8(ascii: "a") + UInt8(i % 26) }
            let input = header + fields + [0x0A]
            #expect(
                Self.parse(input, chunkSize: 64, plain: true) == Self.parse(input, chunkSize: 64, plain: false),
                "length \(length)")
        }
    }

    @Test func invalidUTF8IsStillFoundAfterPlainLines() {
        let bytes = Array("a,b\n1,2\n".utf8) + [0x33, 0x2C, 0xE9, 0x0A] + Array("5,6\n".utf8)
        let plain = Self.parse(bytes, chunkSize: 3, plain: true)
        #expect(plain == Self.parse(bytes, chunkSize: 64, plain: false))
        #expect(plain.contains("error csv.encoding at 3:2"))
    }

    /// The sample returns and the bad-input corpus, in a few chunk sizes.
    @Test func realFilesParseAsLibcsvDoes() throws {
        var paths = try Repo.sampleReturns(every: 6)
        paths += try FileManager.default.contentsOfDirectory(atPath: Repo.path("Tests/Corpus/bad")).sorted()
            .filter { $0.hasSuffix(".csv") }.map { Repo.path("Tests/Corpus/bad/" + $0) }
        #expect(paths.count > 40)
        for path in paths {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let reference = Self.parse(bytes, chunkSize: 1 << 20, plain: false)
            for size in [1, 7, 64, 4096, 1 << 20] {
                #expect(Self.parse(bytes, chunkSize: size, plain: true) == reference, "\(path) in chunks of \(size)")
            }
        }
    }
}
