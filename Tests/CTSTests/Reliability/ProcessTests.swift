import CTSCore
import CTSStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the real `cts` executable as separate processes: killed mid-ingest, several at once, twice over.
@Suite(.serialized) struct ProcessTests {
    static let binary = Repo.path(".build/debug/cts")
    let workspace = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]

    /// The first `count` shipped returns that have no errors.
    static func returns(_ count: Int) -> [String] {
        let rejected: Set = ["CHE-2020.csv", "COL-2020.csv", "FIN-2020.csv", "MAR-2020.csv"]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Repo.path("submissions"))) ?? []
        return names.filter { $0.hasSuffix(".csv") && !rejected.contains($0) }.sorted().prefix(count)
            .map { Repo.path("submissions/" + $0) }
    }

    func start(_ arguments: [String], in directory: String? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func run(_ arguments: [String], in directory: String? = nil) throws -> Int32 {
        let p = try start(arguments, in: directory)
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Cells per submission, by the return's SHA-256.
    func cellsBySubmission(_ db: String) throws -> [String: Int] {
        let store = try Store(path: db)
        var result: [String: Int] = [:]
        for row in try store.db.rows(
            "SELECT s.sha256, count(c.id) FROM submission s LEFT JOIN cell c ON c.submission_id = s.id GROUP BY s.id")
        {
            result[row[0].string!] = row[1].int!
        }
        return result
    }

    func outputs(_ db: String, into dir: String) throws -> [String: String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(try run(["aggregate", "--db", db, "--output", dir] + workspace) == 0)
        #expect(try run(["export", "--db", db, "--output", dir] + workspace) == 0)
        var files: [String: String] = [:]
        for name in ["trends.csv", "observations.csv", "observations.sdmx.csv", "trends_metadata.json"] {
            files[name] = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
                .replacingOccurrences(of: db, with: "STORE")
        }
        return files
    }

    @Test func theExecutableIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build cts first: swift build")
    }

    @Test func killedIngestsLeaveTheStoreWholeAndFinishIdentically() throws {
        let dir = TemporaryDirectory()
        let files = Self.returns(60)
        let clean = dir.path + "/clean.sqlite"
        let started = Date()
        #expect(try run(["ingest"] + files + ["--db", clean] + workspace) == 0)
        let expected = try cellsBySubmission(clean)
        #expect(expected.count == 60)

        // Kill somewhere inside a run, each time into a fresh store. Start-up (loading the questionnaire
        // and reference tables) can take most of a run, so the window closes in on the time returns are
        // being stored: a kill before the first return moves its start up, one after the last its end down.
        let duration = Date().timeIntervalSince(started)
        var window = (low: duration * 0.05, high: duration * 0.95)
        var rng = SystemRandomNumberGenerator()
        var partial: [String] = []
        for attempt in 0..<20 {
            let killed = dir.path + "/killed-\(attempt).sqlite"
            let delay = Double.random(in: window.low...window.high, using: &rng)
            let p = try start(["ingest"] + files + ["--db", killed] + workspace)
            usleep(UInt32(delay * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let store = try Store(path: killed)
            #expect(try store.db.scalar("PRAGMA integrity_check")?.string == "ok")
            // Each return is wholly in, with all its cells, or wholly out.
            let stored = try cellsBySubmission(killed)
            for (hash, cells) in stored { #expect(expected[hash] == cells) }
            if stored.isEmpty {
                window.low = delay
            } else if stored.count == 60 {
                window.high = delay
            } else {
                partial.append(killed)
            }
        }
        #expect(!partial.isEmpty, "no kill landed mid-run; the test did not test anything")
        // Finishing an interrupted run gives what an uninterrupted one gives, to the byte.
        let killed = try #require(partial.last)
        #expect(try run(["ingest"] + files + ["--db", killed] + workspace) == 0)
        #expect(try cellsBySubmission(killed) == expected)
        #expect(try outputs(killed, into: dir.path + "/k") == outputs(clean, into: dir.path + "/c"))
    }

    @Test func fourProcessesIngestingAtOnceLoseNothing() throws {
        let dir = TemporaryDirectory()
        let files = Self.returns(40)
        let db = dir.path + "/shared.sqlite"
        // Each process gets every return, in a different order, so they race for the same ones too.
        let orders = [files, files.reversed(), Array(files[20...] + files[..<20]), Array(files[10...] + files[..<10])]
        let processes = try orders.map { try start(["ingest"] + $0 + ["--db", db] + workspace) }
        for p in processes { p.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0, 0, 0])
        let clean = dir.path + "/clean.sqlite"
        #expect(try run(["ingest"] + files + ["--db", clean] + workspace) == 0)
        #expect(try cellsBySubmission(db) == cellsBySubmission(clean))
        let store = try Store(path: db)
        #expect(try store.db.scalar("PRAGMA integrity_check")?.string == "ok")
        #expect(try store.contentHash() == Store(path: clean).contentHash())
    }

    @Test func twoRunsOnTheSameInputsGiveTheSameBytes() throws {
        var trees: [[String: Data]] = []
        var dirs: [TemporaryDirectory] = []
        for _ in 0..<2 {
            let dir = TemporaryDirectory()
            dirs.append(dir)
            try FileManager.default.createDirectory(atPath: dir.path + "/outputs", withIntermediateDirectories: true)
            #expect(try run(["run", "--submissions", Repo.path("submissions")] + workspace, in: dir.path) == 0)
            var tree: [String: Data] = [:]
            let root = dir.path + "/outputs"
            for path in FileManager.default.subpaths(atPath: root) ?? [] where !path.hasPrefix("cts.sqlite") {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDir), !isDir.boolValue {
                    tree[path] = FileManager.default.contents(atPath: root + "/" + path)
                }
            }
            trees.append(tree)
        }
        #expect(trees[0].count > 20)
        #expect(trees[0].keys.sorted() == trees[1].keys.sorted())
        for (name, bytes) in trees[0] { #expect(trees[1][name] == bytes, "\(name) differs") }
    }
}
