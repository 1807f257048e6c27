import CTSCore
import Foundation
import Testing

@testable import CTSStore

/// Observations are stored packed, as JSON, one block per run of a reporter's year. What goes in must
/// come out bit for bit, through Swift and through SQLite's own JSON reading (the `observation` view).
@Suite struct ObservationBlockTests {
    /// Texts that need every kind of escape, and figures that need all 17 digits.
    static let texts = [
        "", "A", "E", "say \"no\"", "back\\slash", "tab\tnew\nline\r", "\u{1}\u{1F}\u{7F}", "é€𝄞", "/", "null",
    ]
    static let numbers: [Double] = [
        0, -0.0, 1, 3586, 0.1 + 0.2, 1e-5, 123_456_789.123_456_78, 2.5e20, .leastNonzeroMagnitude,
        1.797_693_134_862_315_7e308,
        -17.25, 440 * (1.0 / 3.0),
    ]

    @Test func whatIsWrittenIsReadBackBitForBit() throws {
        var json = ByteWriter(capacity: 16)
        var expected: [(Int, Int, Double?, String, String?, Double)] = []
        for (i, text) in Self.texts.enumerated() {
            for (j, x) in Self.numbers.enumerated() {
                let row = (
                    i * 100 + j, j, j % 5 == 0 ? nil : x, text,
                    j % 3 == 0 ? nil : Self.texts[(i + j) % Self.texts.count],
                    Self.numbers[(i + j) % Self.numbers.count]
                )
                ObservationBlock.append(
                    cell: row.0, series: row.1, value: row.2, status: row.3, national: row.4, share: row.5, to: &json)
                expected.append(row)
            }
        }
        ObservationBlock.close(&json)
        var read: [(Int, Int, Double?, String, String?, Double)] = []
        try json.withBytes { bytes in
            try ObservationBlock.forEach(in: bytes) { e in
                read.append((Int(e.cell), Int(e.series), e.value, e.status.string, e.national?.string, e.share))
            }
        }
        #expect(read.count == expected.count)
        for (a, b) in zip(read, expected) {
            #expect(a.0 == b.0 && a.1 == b.1 && a.3 == b.3 && a.4 == b.4)
            #expect(a.2?.bitPattern == b.2?.bitPattern)
            #expect(a.5.bitPattern == b.5.bitPattern)
        }
        // SQLite reads the same texts and nulls.
        let db = try Database(path: ":memory:")
        let text = json.withBytes { String(decoding: $0, as: UTF8.self) }
        let sql = try db.rows(
            "SELECT j.value ->> 0, j.value ->> 3, j.value ->> 4, j.value ->> 2 IS NULL FROM json_each(?) j", [text])
        #expect(sql.count == expected.count)
        for (row, e) in zip(sql, expected) {
            #expect(
                row == [.integer(Int64(e.0)), .text(e.3), e.4.map { .text($0) } ?? .null, .integer(e.2 == nil ? 1 : 0)])
        }
    }

    /// A figure of no national category counted whole leaves its national code and share out; the
    /// `observation` view reads them back as null and 1, and blocks that wrote them out read the same.
    @Test func theUsualNationalCodeAndShareAreLeftOut() throws {
        var json = ByteWriter()
        let items: [(String?, Double)] = [(nil, 1), ("440", 1), (nil, 0.5), ("101", 0.25), (nil, -0.0)]
        for (i, (national, share)) in items.enumerated() {
            ObservationBlock.append(
                cell: i + 1, series: 1, value: 10, status: "A", national: national, share: share, to: &json)
        }
        ObservationBlock.close(&json)
        let text = json.withBytes { String(decoding: $0, as: UTF8.self) }
        #expect(
            text == #"[[1,1,10.0,"A"],[2,1,10.0,"A","440",1.0],[3,1,10.0,"A",null,0.5],[4,1,10.0,"A","101",0.25],"#
                + #"[5,1,10.0,"A",null,-0.0]]"#)
        let db = try Database(path: ":memory:")
        try Migrations.migrate(db)
        try db.execute(
            """
            INSERT INTO submission VALUES (1, 'a.csv', 'h', 'KEN', 'UN-CTS', '2024.1', '2026-01-01T00:00:00Z',
                'accepted', 0, 0, 5);
            INSERT INTO observation_series VALUES (1, 'offences_recorded', 'police_offences.robbery', '0401', 2, '');
            """)
        let written = #"[[6,1,10.0,"A",null,1.0]]"#
        for (id, block) in [text, written].enumerated() {
            try db.run(
                "INSERT INTO observation_block VALUES (?, 1, 'KEN', 'KEN', '404', 2020, '2026-01-01T00:00:00Z', 1, ?)",
                [id + 1, block])
        }
        let rows = try db.rows("SELECT cell_id, national_code, share FROM observation ORDER BY cell_id")
        #expect(
            rows
                == [
                    [.integer(1), .null, .real(1)], [.integer(2), .text("440"), .real(1)],
                    [.integer(3), .null, .real(0.5)], [.integer(4), .text("101"), .real(0.25)],
                    [.integer(5), .null, .real(-0.0)], [.integer(6), .null, .real(1)],
                ])
        var shares: [Double] = []
        for block in [text, written] {
            try Array(block.utf8).withUnsafeBytes { try ObservationBlock.forEach(in: $0) { shares.append($0.share) } }
        }
        #expect(shares.map(\.bitPattern) == [1, 1, 0.5, 0.25, -0.0, 1].map(\.bitPattern))
    }

    /// Integers of up to 17 digits take a path without overflow checks; every length, up to Int64's
    /// limits, must read back exactly.
    @Test func integersOfEveryLengthReadBack() throws {
        var values: [Int] = [0, 7, Int(Int64.max), -1, -42, Int(Int64.min) + 1]
        var power = 1
        for _ in 1...18 {
            values += [power - 1, power, power + 1]
            power *= 10
        }
        var json = ByteWriter()
        for (i, v) in values.enumerated() {
            ObservationBlock.append(cell: v, series: i, value: 1, status: "A", national: nil, share: 1, to: &json)
        }
        ObservationBlock.close(&json)
        var read: [(Int64, Int64)] = []
        try json.withBytes { try ObservationBlock.forEach(in: $0) { read.append(($0.cell, $0.series)) } }
        #expect(read.map(\.0) == values.map(Int64.init))
        #expect(read.map(\.1) == values.indices.map(Int64.init))
    }

    @Test func anEmptyBlockAndWhiteSpaceAreRead() throws {
        var json = ByteWriter()
        ObservationBlock.close(&json)
        #expect(json.bytes == Array("[]".utf8))
        var count = 0
        let spaced = Array(" [ [ 7 , 2 , null , \"A\" , null , 1.0 ] ,\n[8,2,5,\"E\",\"101\",0.5] ] ".utf8)
        try spaced.withUnsafeBytes { try ObservationBlock.forEach(in: $0) { _ in count += 1 } }
        #expect(count == 2)
    }

    @Test(arguments: [
        "", "[", "[[1,2,3,\"A\",null,1]", "[[1,2,3,\"A\",null]]", "[[1,2,3,A,null,1]]", "[[1,2,x,\"A\",null,1]]",
        "[[1,2,3,\"A\",null,1]]x", "[[1,2,3,\"A,null,1]]", "[[99999999999999999999,2,3,\"A\",null,1]]",
        "[[9999999999999999999,2,3,\"A\"]]",
    ])
    func aDamagedBlockIsRefusedWithItsOffset(text: String) {
        let bytes = Array(text.utf8)
        #expect(throws: BlockJSON.FormatError.self) {
            try bytes.withUnsafeBytes { try ObservationBlock.forEach(in: $0) { _ in } }
        }
    }

    /// A version 2 store's observation rows, moved into blocks, read the same through the view and the
    /// store, figures bit for bit; cells ended before the migration still end their observations.
    @Test func migratingToBlocksKeepsEveryObservation() throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.path + "/v2.sqlite")
        for v in 1...2 { try Migrations.apply(v, to: db) }
        let t1 = "2026-01-01T00:00:00.000000Z"
        let t2 = "2026-02-01T00:00:00.000000Z"
        try db.execute(
            """
            INSERT INTO submission VALUES (1, 'a.csv', 'h1', 'KEN', 'UN-CTS', '2024.1', '\(t1)', 'accepted', 0, 0, 3);
            INSERT INTO submission VALUES (2, 'b.csv', 'h2', 'KEN', 'UN-CTS', '2024.1', '\(t2)', 'accepted', 0, 0, 1);
            INSERT INTO cell VALUES (1, 1, 'KEN', 2020, 'police_offences', 'robbery', '', 'report', 10, '10', 'A', '',
                2, '\(t1)', '\(t2)');
            INSERT INTO cell VALUES (2, 1, 'KEN', 2020, 'national_offences', '440', '', 'report', 0.30000000000000004,
                '0.30000000000000004', 'E', '', 3, '\(t1)', NULL);
            INSERT INTO cell VALUES (3, 1, 'GBR_S', 2019, 'police_offences', 'theft', 'sex=F', 'report', NULL, '',
                'M', '', 4, '\(t1)', NULL);
            INSERT INTO cell VALUES (4, 2, 'KEN', 2020, 'police_offences', 'robbery', '', 'report', 12, '12', 'A', '',
                2, '\(t2)', NULL);
            INSERT INTO observation (cell_id, reporter, iso3, m49, year, indicator, series, iccs, iccs_level,
                breakdown, value, status, national_code, share) VALUES
                (1, 'KEN', 'KEN', '404', 2020, 'offences', 'police_offences.robbery', '0401', 2, '', 10, 'A', NULL, 1),
                (2, 'KEN', 'KEN', '404', 2020, 'offences', 'national_offences', '0401', 2, '', 0.15000000000000002,
                    'E', '440', 0.5),
                (2, 'KEN', 'KEN', '404', 2020, 'offences', 'national_offences', '020111', 4, '', 0.15000000000000002,
                    'E', '440', 0.5),
                (3, 'GBR_S', 'GBR', '826', 2019, 'offences', 'police_offences.theft', NULL, NULL, 'sex=F', NULL, 'M',
                    NULL, 1),
                (4, 'KEN', 'KEN', '404', 2020, 'offences', 'police_offences.robbery', '0401', 2, '', 12, 'A', NULL, 1);
            """)
        let columns = """
            cell_id, reporter, iso3, m49, year, indicator, series, iccs, iccs_level, breakdown, value, status,
            national_code, share
            """
        let query = "SELECT \(columns) FROM observation ORDER BY cell_id, iccs"
        let before = try db.rows(query)
        try Migrations.apply(3, to: db)
        #expect(try db.rows(query) == before)
        #expect(try db.scalar("SELECT count(*) FROM observation_block")?.int == 3)
        #expect(try db.scalar("SELECT count(*) FROM observation_series")?.int == 4)

        let store = try Store(path: dir.path + "/v2.sqlite")
        let now = try store.observations()
        let half = 0.15000000000000002
        #expect(now.map { $0.value?.bitPattern } == [nil, half.bitPattern, half.bitPattern, Double(12).bitPattern])
        #expect(now.map(\.nationalCode) == [nil, "440", "440", nil])
        let then = try store.observations(asOf: "2026-01-15T00:00:00.000000Z")
        #expect(then.compactMap(\.value).contains(10) && !then.compactMap(\.value).contains(12))
        #expect(try store.observations(asOf: "2025-12-31T00:00:00.000000Z").isEmpty)
    }
}

extension ObservationBlockTests {
    /// Whole numbers take a path of their own; it must write what `description` writes, the text every
    /// other figure gets.
    @Test func wholeNumbersAreWrittenAsDescriptionWritesThem() throws {
        var values: [Double] = [0, -0.0, 1, -1, 9, 10, 3586, 999_999_999_999_999, 1e15, -1e15, 1e16, 0.5, -2.5]
        var random = SystemRandomNumberGenerator()
        for digits in 1...16 {
            let limit = Int(pow(10.0, Double(digits)))
            values.append(Double(Int.random(in: -limit...limit, using: &random)))
        }
        for x in values {
            var json = ByteWriter()
            ObservationBlock.append(cell: 1, series: 2, value: x, status: "", national: nil, share: 1, to: &json)
            let text = json.withBytes { String(decoding: $0, as: UTF8.self) }
            #expect(text == "[[1,2,\(x.description),\"\"]", "\(x)")
        }
    }
}

extension ObservationBlockTests {
    /// Whole numbers are read without strtod; every spelling must read as strtod reads it, and anything
    /// that is not a plain whole number must still go through strtod.
    @Test func numbersReadAsStrtodReadsThem() throws {
        let spellings = [
            "0", "-0", "0.0", "-0.0", "7", "3586.0", "123456789012345", "123456789012345.0", "1234567890123456",
            "12345678901234567890", "9007199254740993", "-42.0", "1.5", "0.05", "10.00", "10.01", "1e5", "1.0e5",
            "2E-3", "-17.25", "00012", "5.0e0",
        ]
        for text in spellings {
            let json = Array("[[1,2,\(text),\"A\",null,\(text)]]".utf8)
            var read: (Double?, Double)?
            try json.withUnsafeBytes { try ObservationBlock.forEach(in: $0) { read = ($0.value, $0.share) } }
            let expected = Double(text)!
            #expect(read?.0?.bitPattern == expected.bitPattern, "\(text)")
            #expect(read?.1.bitPattern == expected.bitPattern, "\(text)")
        }
    }
}
