import CTSIO
import Foundation
import Testing

/// cts copied onto PATH and used in a folder of one's own: nothing of the repository is at hand, so the
/// questionnaire and reference tables come from the copy built into the binary.
@Suite(.serialized) struct InstalledBinaryTests {
    struct Installed {
        let root = TemporaryDirectory()
        var bin: String { root.path + "/bin/cts" }
        var work: String { root.path + "/work" }

        init() throws {
            let fm = FileManager.default
            try fm.createDirectory(atPath: root.path + "/bin", withIntermediateDirectories: true)
            try fm.copyItem(atPath: Repo.path(".build/debug/cts"), toPath: root.path + "/bin/cts")
            try fm.createDirectory(atPath: work + "/submissions", withIntermediateDirectories: true)
            for name in ["KEN-2020.csv", "CHL-2020.csv", "DEU-2020.csv"] {
                try fm.copyItem(atPath: Repo.path("submissions/" + name), toPath: work + "/submissions/" + name)
            }
        }

        /// Runs the installed cts in `directory` with a home of its own and no CTS_HOME.
        func run(_ arguments: [String], in directory: String? = nil, env extra: [String: String] = [:]) throws
            -> (status: Int32, out: String)
        {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: bin)
            p.arguments = arguments
            p.currentDirectoryURL = URL(fileURLWithPath: directory ?? work)
            var env = ProcessInfo.processInfo.environment
            env["HOME"] = root.path + "/home"
            env["CTS_HOME"] = nil
            env["XDG_CACHE_HOME"] = nil
            env["PATH"] = root.path + "/bin:" + (env["PATH"] ?? "/usr/bin")
            env.merge(extra) { _, new in new }
            p.environment = env
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    /// The copy built in is the repository's, byte for byte (scripts/embed_defaults.py makes it).
    @Test func theBuiltInFilesAreTheShippedOnes() throws {
        #expect(EmbeddedDefaults.paths.contains("questionnaires/un-cts-2024.yaml"))
        for name in [
            "README.md", "iccs.csv", "countries.csv", "country_aliases.csv", "reporting_units.csv",
            "population.csv",
        ] {
            #expect(EmbeddedDefaults.paths.contains("reference/" + name), "\(name)")
        }
        for path in EmbeddedDefaults.paths {
            let shipped = try String(contentsOfFile: Repo.path(path), encoding: .utf8)
            #expect(EmbeddedDefaults.text(path) == shipped, "\(path) differs: run python3 scripts/embed_defaults.py")
        }
    }

    @Test func initThenRunInAnEmptyFolderWritesEveryOutput() throws {
        let cts = try Installed()
        let initialized = try cts.run(["init"])
        #expect(initialized.status == 0, "\(initialized.out)")
        #expect(FileManager.default.fileExists(atPath: cts.work + "/questionnaires/un-cts-2024.yaml"))
        let run = try cts.run(["run", "--quiet"])
        #expect(run.status == 0, "\(run.out)")
        #expect(run.out.contains("3 stored"), "\(run.out)")
        for file in [
            "index.html", "trends.csv", "trends_metadata.json", "observations.csv", "cts.sqlite",
            "reports/KEN-2020.html",
        ] {
            #expect(FileManager.default.fileExists(atPath: cts.work + "/outputs/" + file), "\(file)")
        }
        // The reference tables came from the copy built in, written once under the home's cache.
        let cache = try FileManager.default.contentsOfDirectory(atPath: cts.root.path + "/home/.cache/cts")
        #expect(cache.contains { $0.hasPrefix("defaults-") })
        // A second init changes nothing.
        #expect(try cts.run(["init"]).out.contains("laid out already"))
    }

    @Test func aConfigFileOrCTS_HOMENamesOtherFolders() throws {
        let cts = try Installed()
        let elsewhere = cts.root.path + "/shared"
        #expect(try cts.run(["init", elsewhere, "--with-reference"]).status == 0)
        // A questionnaire folder named in cts.yaml that does not exist stops the command with its name.
        try "questionnaires: nowhere\n".write(toFile: cts.work + "/cts.yaml", atomically: true, encoding: .utf8)
        let missing = try cts.run(["validate", "submissions"])
        #expect(missing.status == 2 && missing.out.contains("nowhere"), "\(missing.out)")
        try "questionnaires: \(elsewhere)/questionnaires\nreference: \(elsewhere)/reference\n".write(
            toFile: cts.work + "/cts.yaml", atomically: true, encoding: .utf8)
        #expect(try cts.run(["validate", "submissions/KEN-2020.csv", "--quiet"]).status == 0)
        try "colour: blue\n".write(toFile: cts.work + "/cts.yaml", atomically: true, encoding: .utf8)
        let unknown = try cts.run(["validate", "submissions/KEN-2020.csv"])
        #expect(unknown.status != 0 && unknown.out.contains("unknown key \"colour\""), "\(unknown.out)")
        try FileManager.default.removeItem(atPath: cts.work + "/cts.yaml")
        // CTS_HOME wins over the working folder; one without the folders is refused with the fix.
        #expect(
            try cts.run(["validate", "submissions/KEN-2020.csv", "--quiet"], env: ["CTS_HOME": elsewhere]).status == 0)
        let bad = try cts.run(["validate", "submissions/KEN-2020.csv"], env: ["CTS_HOME": cts.root.path + "/none"])
        #expect(bad.status != 0 && bad.out.contains("cts init"), "\(bad.out)")
    }
}
