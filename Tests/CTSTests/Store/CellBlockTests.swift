import CTSCore
import Foundation
import Testing

@testable import CTSStore

/// Cells are stored packed, as JSON, one block per run of a reporter's table and year. Every vintage
/// must keep its id, texts, figure and validity, through Swift and through the `cell` view.
@Suite struct CellBlockTests {
    @Test func whatIsWrittenIsReadBackThroughSwiftAndSQL() throws {
        let texts = ["", "robbery", "sex=F;age=0-14", "say \"no\"", "a\\b", "line\nbreak\ttab", "\u{1}", "é€𝄞"]
        // Values with the raw texts that go with them: left out where they are the value's digits.
        let figures: [(Double?, String)] = [
            (nil, ""), (10, "10"), (10, "010"), (10, "10.0"), (0, "0"), (-0.0, "0"), (-0.0, "-0"), (-5, "-5"),
            (2.5, "2.5"), (1e15 - 1, "999999999999999"), (1e15, "1000000000000000"), (nil, "n/a"), (7, ""),
            (1e-5, "0.00001"), (123, "1 23"),
        ]
        var json = ByteWriter(capacity: 16)
        var expected: [[SQLValue]] = []
        var slots: [(variable: String, breakdown: String)] = []
        for (i, (value, raw)) in figures.enumerated() {
            let slot = (
                variable: texts[i % texts.count] + String(repeating: "2", count: i / texts.count),
                breakdown: texts[(i + 1) % texts.count]
            )
            slots.append(slot)
            let action = i % 4 == 3 ? "withdraw" : "report"
            let note = i % 3 == 0 ? texts[(i + 3) % texts.count] : ""
            let status = texts[(i + 5) % texts.count]
            CellBlock.append(
                slot: i + 1, line: i + 2, value: value, status: status, raw: raw, note: note, action: action,
                to: &json)
            expected.append([
                .text(slot.variable), .text(slot.breakdown), .text(action), value.map { .real($0) } ?? .null,
                .text(raw), .text(status), .text(note), .integer(Int64(i + 2)),
            ])
        }
        BlockJSON.close(&json)
        var read: [[SQLValue]] = []
        try json.withBytes { bytes in
            try CellBlock.forEach(in: bytes) { i, e in
                #expect(i == read.count)
                #expect(e.slot == Int64(i + 1))
                let slot = slots[Int(e.slot) - 1]
                read.append([
                    .text(slot.variable), .text(slot.breakdown), .text(e.actionString),
                    e.value.map { .real($0) } ?? .null, .text(e.rawString), .text(e.status.string),
                    .text(e.noteString), .integer(e.line),
                ])
            }
        }
        #expect(read == expected)
        // Most cells leave their raw value, note and action out.
        let text = json.withBytes { String(decoding: $0, as: UTF8.self) }
        #expect(text.hasPrefix(#"[[1,2,null,"line\u000abreak\u0009tab",null,"say \"no\""],[2,3,10.0,"\u0001"],"#))
        #expect(text.contains(#"[3,4,10.0,"é€𝄞","010"]"#))

        // The `cell` view reads the same rows.
        let db = try Database(path: ":memory:")
        try Migrations.migrate(db)
        try db.execute(
            """
            INSERT INTO submission VALUES (1, 'a.csv', 'h', 'KEN', 'UN-CTS', '2024.1', '\(Self.t1)', 'accepted', 0, 0, 1);
            """)
        for (i, slot) in slots.enumerated() {
            try db.run(
                "INSERT INTO cell_slot VALUES (?, 'police_offences', ?, ?)", [i + 1, slot.variable, slot.breakdown])
        }
        try db.run(
            "INSERT INTO cell_block VALUES (1, 1, 'KEN', 2020, 'police_offences', ?, 1, ?, '', ?)",
            [Self.t1, figures.count, json.withBytes { String(decoding: $0, as: UTF8.self) }])
        let sql = try db.rows(
            "SELECT variable, breakdown, action, value, raw_value, status, note, line FROM cell ORDER BY id")
        #expect(sql == expected)
    }

    /// A run of cells longer than a block may hold goes into several blocks whose ids follow on.
    @Test func aLongRunOfCellsIsSplitIntoBlocksOfBoundedSize() throws {
        let db = try Database(path: ":memory:")
        try Migrations.migrate(db)
        try db.execute(
            """
            INSERT INTO submission VALUES (1, 'a.csv', 'h', 'KEN', 'UN-CTS', '2024.1', '\(Self.t1)', 'accepted', 0, 0, 50);
            """)
        let writer = try CellBlockWriter(db: db, submission: 1, validFrom: Self.t1, maxBytes: 100)
        for i in 0..<50 {
            try writer.add(
                reporter: "KEN", table: "police_offences", year: 2020, variable: "v\(i % 7)", breakdown: "sex=F",
                action: "report", value: Double(i), raw: "\(i)", status: "A", note: "", line: i + 2)
        }
        try writer.finish()
        let blocks = try db.rows("SELECT first_cell, size, length(cells) FROM cell_block ORDER BY id")
        #expect(blocks.count > 1)
        var next: Int64 = 1
        for (n, block) in blocks.enumerated() {
            guard case .integer(let first) = block[0], case .integer(let size) = block[1],
                case .integer(let length) = block[2]
            else {
                Issue.record("\(block)")
                return
            }
            #expect(first == next)
            next += size
            // A block ends with the cell that takes it past 100 bytes.
            if n < blocks.count - 1 { #expect(length >= 100 && length < 120, "\(block)") }
        }
        #expect(next == 51)
        #expect(
            try db.rows("SELECT id, variable, raw_value FROM cell ORDER BY id")
                == (0..<50).map { [.integer(Int64($0 + 1)), .text("v\($0 % 7)"), .text("\($0)")] })
        #expect(try db.scalar("SELECT count(*) FROM cell_slot")?.int == 7)
    }

    /// The raw value a block leaves out is the one the `cell` view makes: the digits of a whole figure.
    @Test func aRawValueIsLeftOutOnlyWhereItIsTheDigitsOfTheValue() {
        #expect(CellBlock.isImplied("3586", by: 3586))
        #expect(CellBlock.isImplied("0", by: 0))
        #expect(CellBlock.isImplied("", by: nil))
        #expect(CellBlock.isImplied("999999999999999", by: 1e15 - 1))
        for (raw, value) in [
            ("03586", 3586.0), ("3586.0", 3586), ("3 586", 3586), ("", 0), ("0", -0.0), ("-1", -1),
            ("1000000000000000", 1e15), ("2", 2.5), ("35860", 3586), ("358", 3586),
        ] {
            #expect(!CellBlock.isImplied(raw, by: value), "\(raw) \(value)")
        }
        #expect(!CellBlock.isImplied("x", by: nil))
        #expect(CellBlock.impliedRaw(for: 3586) == "3586")
        #expect(CellBlock.impliedRaw(for: nil) == "")
        #expect(CellBlock.impliedRaw(for: 2.5) == nil)
        #expect(CellBlock.impliedRaw(for: -0.0) == nil)
    }

    static let t1 = "2026-01-01T00:00:00.000000Z"
    static let t2 = "2026-02-01T00:00:00.000000Z"

    /// A version 3 store: two submissions, a revision, a withdrawal, a cell with no figure, texts that
    /// need escapes, ids with a gap, and a national mapping.
    static func versionThreeStore(_ path: String) throws -> Database {
        let db = try Database(path: path)
        for v in 1...3 { try Migrations.apply(v, to: db) }
        try db.execute(
            """
            INSERT INTO submission VALUES (1, 'a.csv', 'h1', 'KEN,GBR_S', 'UN-CTS', '2024.1', '\(t1)', 'accepted', 0, 0, 4);
            INSERT INTO submission VALUES (2, 'b.csv', 'h2', 'KEN', 'UN-CTS', '2024.1', '\(t2)', 'accepted', 0, 0, 2);
            INSERT INTO cell VALUES (1, 1, 'KEN', 2020, 'police_offences', 'robbery', '', 'report', 10, '10', 'A',
                'a "quoted"
            note', 2, '\(t1)', '\(t2)');
            INSERT INTO cell VALUES (2, 1, 'KEN', 2020, 'police_offences', 'theft', 'sex=F', 'report', 7, '7', 'A', '',
                3, '\(t1)', '\(t2)');
            INSERT INTO cell VALUES (3, 1, 'KEN', 2020, 'national_offences', '440', '', 'report', 30, '30', 'E', '',
                4, '\(t1)', NULL);
            INSERT INTO cell VALUES (5, 1, 'GBR_S', 2019, 'police_offences', 'theft', 'sex=M', 'report', NULL, '', 'M',
                'é€', 5, '\(t1)', NULL);
            INSERT INTO cell VALUES (6, 2, 'KEN', 2020, 'police_offences', 'robbery', '', 'report', 12, '12', 'A', '',
                2, '\(t2)', NULL);
            INSERT INTO cell VALUES (7, 2, 'KEN', 2020, 'police_offences', 'theft', 'sex=F', 'withdraw', NULL, '', '',
                '', 3, '\(t2)', NULL);
            INSERT INTO national_mapping VALUES (1, 3, '440', 'Robo', 'split', '0401', 0.5, 15);
            """)
        return db
    }

    @Test func migratingToBlocksKeepsEveryVintageAndItsId() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/v3.sqlite"
        let db = try Self.versionThreeStore(path)
        let cells = "SELECT * FROM cell ORDER BY id"
        let mappings = "SELECT * FROM national_mapping"
        let (beforeCells, beforeMappings) = (try db.rows(cells), try db.rows(mappings))
        try Migrations.apply(4, to: db)
        #expect(try db.rows(cells) == beforeCells)
        #expect(try db.rows(mappings) == beforeMappings)
        let blocks =
            "SELECT id, submission_id, reporter, year, table_id, valid_from, first_cell, size, fingerprint FROM cell_block"
        let beforeBlocks = try db.rows(blocks)
        // Version 5 numbers the slots and leaves out the usual texts: the same rows, blocks and fingerprints.
        try Migrations.apply(5, to: db)
        #expect(try db.rows(cells) == beforeCells)
        #expect(try db.rows(blocks) == beforeBlocks)
        #expect(
            try db.rows("SELECT id, table_id, variable, breakdown FROM cell_slot ORDER BY id")
                == [
                    [.integer(1), .text("police_offences"), .text("robbery"), .text("")],
                    [.integer(2), .text("police_offences"), .text("theft"), .text("sex=F")],
                    [.integer(3), .text("national_offences"), .text("440"), .text("")],
                    [.integer(4), .text("police_offences"), .text("theft"), .text("sex=M")],
                ])
        #expect(
            try db.scalar("SELECT cells FROM cell_block WHERE first_cell = 6")?.string
                == #"[[1,2,12.0,"A"],[2,3,null,"",null,null,"withdraw"]]"#)
        // Blocks: KEN police 1-2, KEN national 3, GBR_S 5 (after the gap), and the second submission's 6-7.
        #expect(
            try db.rows("SELECT submission_id, first_cell, size FROM cell_block ORDER BY id")
                == [[1, 1, 2], [1, 3, 1], [1, 5, 1], [2, 6, 2]].map { $0.map { .integer(Int64($0)) } })
        #expect(try db.rows("SELECT cell_id FROM cell_end ORDER BY cell_id") == [[.integer(1)], [.integer(2)]])

        // A migrated store takes new vintages after the old ids, revising the current ones.
        let store = try Store(path: path)
        let history = try store.history(reporter: "KEN", year: 2020, variable: "police_offences.robbery")
        #expect(history.map(\.rawValue) == ["10", "12"])
        #expect(history.first?.note == "a \"quoted\"\nnote")
    }

    /// The fingerprint is read from blocks in Swift; it must be what the `cell` view gives, at any time.
    @Test func theFingerprintIsThatOfTheCellView() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/v3.sqlite"
        _ = try Self.versionThreeStore(path)
        let store = try Store(path: path)
        try Self.expectFingerprintOfCellView(
            store, at: [nil, Self.t1, "2026-01-15T00:00:00.000000Z", Self.t2, "2025-01-01T00:00:00.000000Z"])
    }

    /// Ingest fingerprints each figure as it writes it, through the same path as the blocks of a migration:
    /// the same sums, revisions, withdrawals and notes included.
    @Test func ingestFingerprintsAsTheCellViewDoes() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/cts.sqlite"
        let workspace = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
        var rows = ReturnFixture.requiredRows()
        rows[0][9] = "\"counted, \"\"twice\"\"\""
        let header = ReturnFixture.header + ["action"]
        let first = dir.write("first.csv", returnCSV(rows.map { $0 + [""] }, header: header))
        rows[1][7] = "12"
        var second = rows.map { $0 + [""] }
        second[3] = Array(second[3][0..<7]) + ["", "", "", "withdraw"]
        let revised = dir.write("second.csv", returnCSV(second, header: header))
        for (file, at) in [(first, "2026-01-10"), (revised, "2026-02-10")] {
            // Withdrawing a required figure is an error of the return, stored anyway here.
            let r = runCTS(["ingest", file, "--db", path, "--received-at", at, "--allow-errors"] + workspace)
            #expect(r.status == 0, "\(r.out) \(r.err)")
        }
        let store = try Store(path: path)
        #expect(try store.db.scalar("SELECT count(*) FROM cell_end")?.int == 2)
        try Self.expectFingerprintOfCellView(store, at: [nil, "2026-01-20T00:00:00Z", "2026-01-01T00:00:00Z"])
    }

    static func expectFingerprintOfCellView(_ store: Store, at times: [String?]) throws {
        for asOf in times {
            let valid = asOf == nil ? "valid_to IS NULL" : "valid_from <= ?1 AND (valid_to IS NULL OR valid_to > ?1)"
            var sum = FingerprintSum()
            var count = 0
            for row in try store.db.rows(
                """
                SELECT reporter, year, table_id, variable, breakdown, raw_value, status, note FROM cell
                WHERE action = 'report' AND \(valid)
                """, asOf.map { [$0] } ?? [])
            {
                sum.add(Array(row.map { $0.string ?? "" }.joined(separator: "\u{1F}").utf8) + [0x0A])
                count += 1
            }
            #expect(try store.contentHash(asOf: asOf) == sum.finalize(), "as of \(asOf ?? "now"): \(count) figures")
            #expect(count > 0 || asOf == times.last)
        }
        #expect(try store.contentHash() != store.contentHash(asOf: times[1]))
    }
}
