import CSQLite
import CTSCore
import CTSIO
import CTSStore
import Foundation
import Testing

/// Builds ingest requests from return text, the way `cts ingest` does.
struct StoreFixture {
    let dir = TemporaryDirectory()
    var path: String { dir.path + "/cts.sqlite" }

    /// `time` nil means "now", as `cts ingest` without --received-at.
    func request(_ text: String, name: String, at time: String?) -> IngestRequest {
        let parsed = ReturnFixture.reader().read(bytes: Array(text.utf8), name: name)
        let q = parsed.questionnaire!
        let normalizer = Normalizer(questionnaire: q, countries: Repo.reference.countries)
        var observations: [Int: [Observation]] = [:]
        for (i, cell) in parsed.cells.enumerated() { observations[i] = normalizer.observations(for: cell).observations }
        var hasher = SHA256()
        hasher.update(Array(text.utf8))
        return IngestRequest(
            fileName: name, sha256: hasher.finalize(), questionnaire: q, receivedAt: time.map { Timestamp.parse($0)! },
            acceptedWithErrors: false, findings: parsed.findings, cells: parsed.cells, observations: observations)
    }

    func robbery(_ store: Store, asOf: String? = nil) throws -> Double?? {
        let all = try store.observations(asOf: asOf.flatMap { Timestamp.parse($0) })
        return all.first { $0.series == "police_offences.robbery" && $0.year == 2020 }.map(\.value)
    }
}

@Suite struct StoreTests {
    @Test func sha256MatchesKnownDigests() {
        var empty = SHA256()
        #expect(empty.finalize() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256()
        abc.update(Array("abc".utf8))
        #expect(abc.finalize() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var long = SHA256()
        for chunk in stride(from: 0, to: 1000, by: 7) {
            long.update(Array(repeating: UInt8(ascii: "a"), count: min(7, 1000 - chunk)))
        }
        #expect(long.finalize() == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // FIPS 180-2's million a's, fed whole blocks and odd pieces across block boundaries.
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        for piece in [1, 63, 64, 65, 4109, 1_000_000] {
            var hasher = SHA256()
            var start = 0
            while start < million.count {
                let end = min(million.count, start + piece)
                million[start..<end].withUnsafeBytes { hasher.update($0) }
                start = end
            }
            #expect(hasher.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        }
        // The one-shot digest agrees with the streaming one at every padding boundary.
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var hasher = SHA256()
            hasher.update(bytes)
            let expected = hasher.finalize()
            let words = bytes.withUnsafeBytes { SHA256.digestWords(of: $0) }
            let hex = [words.0, words.1, words.2, words.3].map { word in
                let digits = String(word, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }.joined()
            #expect(hex == expected, "length \(length)")
        }
    }

    @Test func reingestingTheSameBytesChangesNothing() throws {
        let f = StoreFixture()
        let store = try Store(path: f.path)
        let text = returnCSV(ReturnFixture.requiredRows())
        let first = try store.ingest(f.request(text, name: "a.csv", at: "2026-01-10"))
        #expect(first.added == 8 && !first.alreadyIngested)
        let again = try store.ingest(f.request(text, name: "a-copy.csv", at: "2026-01-11"))
        #expect(again.alreadyIngested && again.submissionID == first.submissionID)
        #expect(try store.db.scalar("SELECT count(*) FROM submission")?.int == 1)
        #expect(try store.db.scalar("SELECT count(*) FROM cell")?.int == 8)
    }

    @Test func revisionKeepsHistoryAndAsOfReproducesThePast() throws {
        let f = StoreFixture()
        let store = try Store(path: f.path)
        _ = try store.ingest(f.request(returnCSV(ReturnFixture.requiredRows()), name: "v1.csv", at: "2026-01-10"))
        var rows = ReturnFixture.requiredRows()
        rows[3][7] = "25"  // robbery revised from 10 to 25
        let second = try store.ingest(f.request(returnCSV(rows), name: "v2.csv", at: "2026-03-01"))
        #expect(second.revised == 1 && second.unchanged == 7 && second.added == 0)
        #expect(try f.robbery(store) == 25)
        #expect(try f.robbery(store, asOf: "2026-02-01") == 10)
        #expect(try f.robbery(store, asOf: "2026-01-09") == nil)
        let history = try store.history(reporter: "KEN", year: 2020, variable: "police_offences.robbery")
        #expect(history.map(\.rawValue) == ["10", "25"])
        #expect(history[0].validTo == history[1].validFrom)
        #expect(history.map(\.fileName) == ["v1.csv", "v2.csv"])
    }

    @Test func withdrawalClosesTheCellAndIsListedInHistory() throws {
        let f = StoreFixture()
        let store = try Store(path: f.path)
        _ = try store.ingest(f.request(returnCSV(ReturnFixture.requiredRows()), name: "v1.csv", at: "2026-01-10"))
        let header = ReturnFixture.header + ["action"]
        let rows = [
            ["KEN", "2020", "police_offences", "robbery", "", "", "", "", "", "recorded twice", "withdraw"],
            ["KEN", "2020", "police_offences", "kidnapping", "", "", "", "", "", "", "withdraw"],
        ]
        let result = try store.ingest(f.request(returnCSV(rows, header: header), name: "w.csv", at: "2026-02-01"))
        #expect(result.withdrawn == 1 && result.nothingToWithdraw == 1)
        #expect(try f.robbery(store) == nil)
        #expect(try f.robbery(store, asOf: "2026-01-31") == 10)
        let history = try store.history(reporter: "KEN", variable: "robbery")
        #expect(history.map(\.action) == ["report", "withdraw"])
        // A withdrawal was sent without a status, and shows none (it showed M).
        #expect(history.map(\.status) == ["A", ""])
        // Reporting the cell again brings it back.
        let back = try store.ingest(
            f.request(
                returnCSV([ReturnFixture.requiredRows()[3].map { $0 == "10" ? "12" : $0 }]), name: "b.csv",
                at: "2026-03-01"))
        #expect(back.added == 1)
        #expect(try f.robbery(store) == 12)
    }

    @Test func aFailingReturnLeavesTheStoreAsItWas() throws {
        let f = StoreFixture()
        let store = try Store(path: f.path)
        _ = try store.ingest(f.request(returnCSV(ReturnFixture.requiredRows()), name: "v1.csv", at: "2026-01-10"))
        let before = try store.db.rows("SELECT * FROM cell ORDER BY id")
        // Dated before the latest submission: refused, and nothing of it is written.
        var rows = ReturnFixture.requiredRows()
        rows[3][7] = "99"
        #expect(throws: InputError.self) {
            try store.ingest(f.request(returnCSV(rows), name: "old.csv", at: "2025-12-31"))
        }
        #expect(try store.db.rows("SELECT * FROM cell ORDER BY id") == before)
        #expect(try store.db.scalar("SELECT count(*) FROM submission")?.int == 1)
    }

    /// Cells handed over one at a time give the same store as an array, and a stream that fails half-way
    /// (a file that changed between check and store) leaves nothing of the return.
    @Test func streamedCellsStoreLikeAnArrayOrNotAtAll() throws {
        let text = returnCSV(ReturnFixture.requiredRows())
        let arrays = StoreFixture()
        let fromArray = try Store(path: arrays.path)
        let given = arrays.request(text, name: "a.csv", at: "2026-01-10")
        _ = try fromArray.ingest(given)

        let streams = StoreFixture()
        let fromStream = try Store(path: streams.path)
        let request = IngestRequest(
            fileName: "a.csv", sha256: given.sha256, questionnaire: given.questionnaire, receivedAt: given.receivedAt,
            acceptedWithErrors: false, findings: given.findings, reporters: ["KEN"])
        // Streamed cells are normalized and fingerprinted as they come, as ingest does on its reading thread.
        let normalizer = Normalizer(questionnaire: given.questionnaire, countries: Repo.reference.countries)
        func streamed(failingAfter limit: Int?) throws -> IngestResult {
            var batch: [PreparedCell] = []
            return try fromStream.ingest(request) { put in
                // In batches of three, as ingest sends its batches.
                for (i, cell) in given.cells.enumerated() {
                    if let limit, i == limit { throw InputError("changed", code: "file.changed") }
                    batch.append(PreparedCell(cell, normalizer: normalizer))
                    if batch.count == 3 {
                        try put(batch)
                        batch.removeAll()
                    }
                }
                try put(batch)
            }
        }
        #expect(throws: InputError.self) { try streamed(failingAfter: 5) }
        #expect(try fromStream.db.scalar("SELECT count(*) FROM submission")?.int == 0)
        #expect(try fromStream.db.scalar("SELECT count(*) FROM cell")?.int == 0)
        let result = try streamed(failingAfter: nil)
        #expect(result.added == 8)
        let submission = "SELECT file_name, sha256, reporters, cells, errors, warnings FROM submission"
        #expect(try fromStream.db.rows(submission) == fromArray.db.rows(submission))
        let cells = "SELECT reporter, year, table_id, variable, breakdown, value, raw_value, status, line FROM cell"
        #expect(try fromStream.db.rows(cells) == fromArray.db.rows(cells))
        #expect(try fromStream.contentHash() == fromArray.contentHash())
    }

    /// The vintage fingerprint depends on the figures, not on the order they were stored in.
    @Test func contentHashFollowsTheFiguresNotTheOrder() throws {
        let rows = ReturnFixture.requiredRows()
        var changed = rows
        changed[3][7] = "11"
        var hashes: [String] = []
        for variant in [rows, Array(rows.reversed()), changed] {
            let f = StoreFixture()
            let store = try Store(path: f.path)
            _ = try store.ingest(f.request(returnCSV(variant), name: "a.csv", at: "2026-01-10"))
            hashes.append(try store.contentHash())
        }
        #expect(hashes[0] == hashes[1])
        #expect(hashes[0] != hashes[2])
        #expect(hashes[0].count == 64)
    }

    /// Text goes in as its UTF-8 with its length: empty stays empty (not NULL), and nothing is cut.
    @Test func textIsBoundExactly() throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.path + "/t.sqlite")
        try db.execute("CREATE TABLE t (i INTEGER, x TEXT NOT NULL)")
        let texts = ["", "KEN", "Côte d’Ivoire – 1 234 €", "a\u{0}b", String(repeating: "long text ", count: 50)]
        let insert = try db.statement("INSERT INTO t (i, x) VALUES (?, ?)")
        for (i, text) in texts.enumerated() { try insert.execute(i, text) }
        let back = try db.rows("SELECT x, typeof(x), length(CAST(x AS BLOB)) FROM t ORDER BY i")
        #expect(back.map { $0[1].string } == Array(repeating: "text", count: texts.count))
        #expect(back.map { $0[2].int } == texts.map { $0.utf8.count })
        #expect(back[2][0].string == texts[2] && back[0][0].string == "")

        // Several text parameters per row, their copies reused from row to row, some too long to copy.
        try db.execute("CREATE TABLE u (i INTEGER, a TEXT, b TEXT, c TEXT)")
        let triple = try db.statement("INSERT INTO u (i, a, b, c) VALUES (?, ?, ?, ?)")
        let long = String(repeating: "x", count: 5000)
        let rows: [(String, String?, String)] = [
            ("first", "second", "third"), ("1", nil, long), (long, "b", "c"), ("short", "er", ""),
        ]
        for (i, row) in rows.enumerated() { try triple.execute(i, row.0, row.1, row.2) }
        let stored = try db.rows("SELECT a, b, c FROM u ORDER BY i")
        #expect(stored.map { $0.map(\.string) } == rows.map { [$0.0, $0.1, $0.2] })
        #expect(throws: DatabaseError.self) { try triple.execute(9, "too few") }
    }

    /// Opening a new store that another process is writing to before it turned it to WAL (several
    /// `cts ingest` starting on a new store at once) waits for it. SQLite fails the switch to WAL at once
    /// there, without its busy handler, as both would wait on each other's lock.
    @Test func openingWaitsForAnotherProcessSettingUpTheStore() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/new.sqlite"
        var handle: OpaquePointer?
        #expect(sqlite3_open(path, &handle) == SQLITE_OK)
        sqlite3_busy_timeout(handle, 10_000)
        #expect(
            sqlite3_exec(handle, "CREATE TABLE t (x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)", nil, nil, nil)
                == SQLITE_OK)
        final class Holder: @unchecked Sendable { var handle: OpaquePointer? }
        let holder = Holder()
        holder.handle = handle
        let released = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            usleep(300_000)
            sqlite3_exec(holder.handle, "COMMIT", nil, nil, nil)
            sqlite3_close(holder.handle)
            released.signal()
        }
        let start = Date()
        let db = try Database(path: path)
        #expect(Date().timeIntervalSince(start) >= 0.2)
        #expect(try db.scalar("PRAGMA journal_mode")?.string == "wal")
        #expect(try db.scalar("SELECT count(*) FROM t")?.int == 1)
        released.wait()
    }

    /// A new store gets big pages; a store made with another page size keeps it, and its figures.
    @Test func newStoresHaveSixteenKilobytePagesAndOldOnesKeepTheirs() throws {
        let dir = TemporaryDirectory()
        let store = try Store(path: dir.path + "/new.sqlite")
        #expect(try store.db.scalar("PRAGMA page_size")?.int == 16_384)

        let old = dir.path + "/old.sqlite"
        var handle: OpaquePointer?
        #expect(sqlite3_open(old, &handle) == SQLITE_OK)
        #expect(
            sqlite3_exec(handle, "PRAGMA page_size = 4096; CREATE TABLE t (x); INSERT INTO t VALUES (7)", nil, nil, nil)
                == SQLITE_OK)
        sqlite3_close(handle)
        let reopened = try Database(path: old)
        #expect(try reopened.scalar("PRAGMA page_size")?.int == 4096)
        #expect(try reopened.scalar("SELECT x FROM t")?.int == 7)
    }

    /// Aggregate reads figures, vintage and submissions in one read transaction: another connection's
    /// commit in the meantime must not show until it ends.
    @Test func aReadTransactionKeepsItsSnapshot() throws {
        let f = StoreFixture()
        let reader = try Store(path: f.path)
        _ = try reader.ingest(f.request(returnCSV(ReturnFixture.requiredRows()), name: "a.csv", at: "2026-01-10"))
        let writer = try Store(path: f.path)
        let before = try reader.contentHash()
        let seen = try reader.db.readTransaction {
            var rows = ReturnFixture.requiredRows()
            rows[0][7] = "99"
            _ = try writer.ingest(f.request(returnCSV(rows), name: "b.csv", at: "2026-01-11"))
            return (try reader.contentHash(), try reader.submissions().count, try reader.observations().count)
        }
        #expect(seen.0 == before)
        #expect(seen.1 == 1)
        #expect(seen.2 == (try Store(path: f.path).observations(asOf: "2026-01-10T23:59:59Z").count))
        // Once it ends, the new figures are there.
        #expect(try reader.contentHash() != before)
        #expect(try reader.submissions().count == 2)
    }

    @Test func databaseErrorsCarryCodeMessageAndSQL() throws {
        let dir = TemporaryDirectory()
        let db = try Database(path: dir.path + "/e.sqlite")
        do {
            try db.run("SELECT * FROM nowhere WHERE x = ?", [1])
            Issue.record("no error")
        } catch let error as DatabaseError {
            #expect(error.code == 1)
            #expect(error.message.contains("no such table"))
            #expect(error.sql == "SELECT * FROM nowhere WHERE x = ?")
        }
    }

    @Test func concurrentWritersWaitForEachOther() async throws {
        let f = StoreFixture()
        _ = try Store(path: f.path)
        let path = f.path
        let requests = (0..<8).map { i in
            f.request(
                returnCSV(ReturnFixture.requiredRows(year: 2010 + i)), name: "r\(i).csv",
                at: nil)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for request in requests {
                group.addTask {
                    let store = try Store(path: path)
                    _ = try store.ingest(request)
                }
            }
            try await group.waitForAll()
        }
        let store = try Store(path: path)
        #expect(try store.db.scalar("SELECT count(*) FROM submission")?.int == 8)
        #expect(try store.db.scalar("SELECT count(*) FROM cell")?.int == 64)
        #expect(try store.db.scalar("PRAGMA integrity_check")?.string == "ok")
        let times = try store.db.rows("SELECT received_at FROM submission ORDER BY id").map { $0[0].string ?? "" }
        #expect(times == times.sorted(), "submission times follow the order the writers got the lock")
    }
}

@Suite struct NationalCategoryTests {
    @Test func nationalFiguresAreMappedSplitAndRecorded() throws {
        let f = StoreFixture()
        let store = try Store(path: f.path)
        let correspondence = Correspondence(entries: [
            .init(nationalCode: "101", label: "Homicidio", mapping: .exact(ICCSCode("0101")!)),
            .init(nationalCode: "102", label: "Parricidio", mapping: .exact(ICCSCode("0101")!)),
            .init(
                nationalCode: "440", label: "Robo con violencia",
                mapping: .partial([
                    .init(code: ICCSCode("0401")!, share: 0.5), .init(code: ICCSCode("020111")!, share: 0.5),
                ])),
            .init(nationalCode: "900", label: "Ebriedad", mapping: .excluded("not a crime")),
        ])
        let rows =
            ReturnFixture.requiredRows() + [
                ["KEN", "2020", "national_offences", "101", "", "", "", "40", "", ""],
                ["KEN", "2020", "national_offences", "102", "", "", "", "2", "", ""],
                ["KEN", "2020", "national_offences", "440", "", "", "", "30", "", ""],
                ["KEN", "2020", "national_offences", "900", "", "", "", "7", "", ""],
                ["KEN", "2020", "national_offences", "999", "", "", "", "1", "", ""],
            ]
        var request = f.request(returnCSV(rows), name: "n.csv", at: "2026-01-10")
        let normalizer = Normalizer(
            questionnaire: request.questionnaire, countries: Repo.reference.countries, correspondence: correspondence)
        for (i, cell) in request.cells.enumerated() {
            let (o, mapping) = normalizer.observations(for: cell)
            request.observations[i] = o
            request.national[i] = mapping
        }
        let result = try store.ingest(request)
        #expect(result.national == ["mapped": 2, "split": 1, "excluded": 1, "unmapped": 1])
        // Mapped figures join the questionnaire's series of their ICCS code (added up across national codes).
        let national = try store.observations().filter { $0.nationalCode != nil }
        #expect(
            national.map {
                "\($0.series) \($0.iccs!.rawValue)=\(RuleFormatting.number($0.value ?? -1)) \($0.status.rawValue)"
            }
                == [
                    "police_offences.homicide 0101=42 A", "police_offences.robbery 0401=15 E",
                    "police_offences.serious_assault 020111=15 E",
                ])
        #expect(try store.db.scalar("SELECT count(*) FROM national_mapping WHERE outcome = 'unmapped'")?.int == 1)
        #expect(try store.db.scalar("SELECT count(*) FROM cell WHERE table_id = 'national_offences'")?.int == 5)
    }
}

@Suite struct CompositeTests {
    func obs(_ reporter: String, _ year: Int, _ value: Double?, status: ObservationStatus = .normal) -> Observation {
        Observation(
            reporter: reporter, iso3: "GBR", m49: "826", year: year, indicator: "victims",
            series: "homicide_victims.homicide", iccs: ICCSCode("0101"), breakdown: "sex=_T", value: value,
            status: status)
    }

    @Test func formedOnlyWhereEveryPartReported() {
        let units = Repo.reference.countries.reportingUnits
        let data = [
            obs("GBR_EW", 2019, 600), obs("GBR_S", 2019, 60), obs("GBR_NI", 2019, 20, status: .estimated),
            obs("GBR_EW", 2020, 610), obs("GBR_S", 2020, 55),  // no Northern Ireland: not formed
            obs("GBR_EW", 2021, 620), obs("GBR_S", 2021, 50), obs("GBR_NI", 2021, 22), obs("GBR", 2021, 700),
        ]
        let derived = Composites.derive(data, units: units)
        #expect(derived.count == 1)
        #expect(derived[0].reporter == "GBR" && derived[0].year == 2019 && derived[0].value == 680)
        #expect(derived[0].derived && derived[0].status == .estimated)
    }
}
