import Foundation
import Testing

@testable import CTSCore
@testable import CTSIO

/// The packed path (bytes → packed cells → checks one country at a time) must agree exactly with the
/// string path (strings → `ReturnCell` → `Validator.validate`).
@Suite struct PackedCellTests {
    static let samples: [String] = {
        let dir = Repo.path("submissions")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted().map { dir + "/" + $0 }
    }()

    static let badReturns: [String] = {
        let dir = Repo.path("Tests/Corpus/bad")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted().map { dir + "/" + $0 }
    }()

    /// Findings of the string path: every cell read, then validated in one go.
    static func stringPath(_ path: String, reader: ReturnReader) throws -> [Finding] {
        let parsed = try reader.read(path: path)
        var findings = parsed.findings
        if let q = parsed.questionnaire { findings += Validator(questionnaire: q).validate(parsed.cells) }
        return findings.sorted(by: Finding.reportOrder)
    }

    @Test func coderRoundTripsEveryKeyOfTheSamples() throws {
        let reader = ReturnFixture.reader()
        var coder = CellCoder(questionnaire: Repo.questionnaire)
        var checked = 0
        for path in Self.samples {
            for cell in try reader.read(path: path).cells {
                let interned = coder.intern(cell.key)
                let packed = try #require(interned)
                #expect(coder.decode(packed) == cell.key)
                #expect(coder.encode(cell.key) == packed)
                for d in coder.strides.indices {
                    let n = coder.code(of: packed, dimension: d)
                    #expect(coder.code(n, dimension: d) == cell.key.breakdown[d])
                    #expect(coder.setting(packed, dimension: d, to: n) == packed)
                }
                checked += 1
            }
        }
        #expect(checked > 10_000)
        // Unknown parts are not packed.
        var key = try #require(reader.read(path: Self.samples[0]).cells.first).key
        key.breakdown[0] = "nonsense"
        #expect(coder.encode(key) == nil)
    }

    /// Decodes every row of `path` both ways; wherever the byte path takes a row, the string path must find
    /// nothing and give the same cell. Returns the rows compared and those the byte path took.
    static func compareDecoders(_ path: String) throws -> (compared: Int, viaBytes: Int) {
        let q = Repo.questionnaire
        var (compared, viaBytes) = (0, 0)
        var bytesDecoder: ReturnRowDecoder?
        var stringDecoder: ReturnRowDecoder?
        var table = CellTable(coder: CellCoder(questionnaire: q), file: path)
        let parser = CSVStreamParser(file: path) { record in
            guard bytesDecoder != nil, stringDecoder != nil else {
                let d = ReturnRowDecoder(
                    header: record.record.fields, file: path, catalog: QuestionnaireCatalog([q]),
                    countries: Repo.reference.countries)
                (bytesDecoder, stringDecoder) = (d, d)
                table.header = d.header
                return
            }
            compared += 1
            let viaStrings = stringDecoder!.decode(record.record.fields, line: record.line)
            guard
                let packed = bytesDecoder!.decodePacked(
                    record.bytes, ends: record.ends, separator: record.separator, line: record.line, into: &table)
            else { return }
            // A row the byte path takes has nothing to report and gives the same cell.
            #expect(viaStrings.findings.isEmpty, "\(path):\(record.line): \(record.record.fields)")
            #expect(viaStrings.cell == table.rebuild(packed), "\(path):\(record.line)")
            viaBytes += 1
        }
        try? FileInput.forEachChunk(path) { try parser.feed($0) }
        try? parser.finish()
        return (compared, viaBytes)
    }

    @Test func bytePathDecodesLikeTheStringPath() throws {
        var decoded = 0
        for path in Self.samples + Self.badReturns { decoded += try Self.compareDecoders(path).viaBytes }
        #expect(decoded > 10_000)
    }

    /// Rows at the edges of each field's rule (years, codes, statuses, values, national codes): wherever the
    /// byte path takes a row, the string path finds nothing and gives the same cell, because both ask the
    /// same rules. It takes the plain rows, so the edge cases do not all fall through.
    @Test func bytePathAsksTheSameRulesAtTheEdges() throws {
        let years = ["2019", "+201", "0201", "20190", ""]
        let codes = [
            ("homicide_victims", "homicide", "_T"), ("homicide_victims", "homicide", "F"),
            ("homicide_victims", "homicide", ""), ("homicide_victims", "homicide", "f"),
            ("police_offences", "robbery", ""), ("police_offences", "robbery", "_T"),
            ("police_offences", "robbery", "M"), ("national_offences", "101", ""),
            ("national_offences", " ", ""), ("police_offences", "robery", ""),
        ]
        let values = [
            ("12", ""), ("0", ""), ("012", ""), ("99999999999", ""), ("100000000000", ""),
            ("12.5", "E"), ("12.0", ""), ("", "L"), ("", ""), ("5", "M"), ("7", "e"), ("7", "EE"),
        ]
        var rows: [[String]] = []
        for year in years {
            for (table, variable, sex) in codes {
                for (value, status) in values {
                    rows.append(["KEN", year, table, variable, sex, "", "", value, status, ""])
                }
            }
        }
        let dir = TemporaryDirectory()
        let (compared, viaBytes) = try Self.compareDecoders(dir.write("edges.csv", returnCSV(rows)))
        #expect(compared == rows.count)
        #expect(viaBytes >= 12, "the plain rows go the byte way")
    }

    @Test func countryByCountryCheckAgreesWithTheWholeReturn() throws {
        let reader = ReturnFixture.reader()
        for path in Self.samples + Self.badReturns {
            let checked = try reader.check(path: path)
            #expect(
                checked.findings.sorted(by: Finding.reportOrder) == (try Self.stringPath(path, reader: reader)),
                "\(path)")
            #expect(checked.cells.isEmpty)
            let kept = try reader.check(path: path, keepingCells: true)
            #expect(kept.findings.sorted(by: Finding.reportOrder) == checked.findings.sorted(by: Finding.reportOrder))
            #expect(kept.cells == (try reader.read(path: path)).cells)
        }
    }

    /// Several countries in one file: together, and with a country coming back after another.
    @Test func multiCountryReturnsInAnyOrder() throws {
        let dir = TemporaryDirectory()
        let reader = ReturnFixture.reader()
        let ken = ReturnFixture.requiredRows()
        var uga = ReturnFixture.requiredRows(value: "7").map { row in ["UGA"] + row.dropFirst() }
        uga[2][7] = "70"  // a duplicate below disagrees with it
        let dup = uga[2]
        let grouped = dir.write("grouped.csv", returnCSV(ken + uga))
        let interleaved = dir.write("interleaved.csv", returnCSV(zip(ken, uga).flatMap { [$0, $1] } + [dup]))
        let back = dir.write("back.csv", returnCSV(ken.prefix(4) + uga + ken.dropFirst(4) + [dup]))
        for path in [grouped, interleaved, back] {
            let checked = try reader.check(path: path)
            #expect(
                checked.findings.sorted(by: Finding.reportOrder) == (try Self.stringPath(path, reader: reader)),
                "\(path)")
            #expect(checked.countries == ["KEN", "UGA"])
        }
        let duplicates = try reader.check(path: back).findings.filter { $0.ruleID == "cell.duplicate" }
        #expect(duplicates.count == 1)
    }
}

/// Countries are checked on a second thread; their findings must land where a single thread would have
/// put them: before the findings the reader met after handing the country over.
@Suite struct CountryChecksTests {
    @Test func findingsGoBackInTheirPlaces() {
        @Sendable func finding(_ id: String) -> Finding { Finding(ruleID: id, severity: .warning, message: id) }
        let checks = CountryChecks { table in [finding("check." + table.file), finding("check." + table.file + "2")] }
        let coder = CellCoder(questionnaire: Repo.questionnaire)
        // The reader had 0, then 2, then 2, then 3 findings of its own when it handed each country over.
        for (name, position) in [("A", 0), ("B", 2), ("C", 2), ("D", 3)] {
            checks.submit(CellTable(coder: coder, file: name), at: position)
        }
        var limit = FindingLimit()
        let merged = checks.merge(into: ["f0", "f1", "f2"].map(finding), limit: &limit).map(\.ruleID)
        #expect(
            merged == [
                "check.A", "check.A2", "f0", "f1", "check.B", "check.B2", "check.C", "check.C2", "f2", "check.D",
                "check.D2",
            ])
    }

    @Test func aReaderThatStopsHalfWayWaitsForItsThread() {
        // Dropped without merging (a country came back): what was queued is still checked, and the thread
        // has ended by the time the reader is gone.
        final class Runs: @unchecked Sendable {
            let lock = NSLock()
            var count = 0
        }
        let runs = Runs()
        var checks: CountryChecks? = CountryChecks { _ in
            Thread.sleep(forTimeInterval: 0.05)
            runs.lock.lock()
            runs.count += 1
            runs.lock.unlock()
            return []
        }
        for _ in 0..<3 { checks!.submit(CellTable(coder: CellCoder(questionnaire: Repo.questionnaire)), at: 0) }
        checks = nil
        runs.lock.lock()
        defer { runs.lock.unlock() }
        #expect(runs.count == 3)
    }
}
