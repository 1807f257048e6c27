import CTSCLI
import Foundation
import Testing

/// Replays the fuzzing seeds and every input the fuzzers ever crashed on (Tests/Fuzz/regressions/) through
/// the same harness `make fuzz` drives.
@Suite struct FuzzRegressionTests {
    static let fixtures = try! FuzzHarness.Fixtures(root: Repo.root)

    static func inputs(_ folder: String) -> [String] {
        FuzzHarness.Target.allCases.flatMap { target in
            let dir = Repo.path("Tests/Fuzz/\(folder)/\(target.rawValue)")
            return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { !$0.hasPrefix(".") }.sorted().map { "\(target.rawValue)/\($0)" }
        }
    }

    func replay(_ folder: String, _ input: String) throws -> Int {
        let target = FuzzHarness.Target(rawValue: String(input.split(separator: "/")[0]))!
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Repo.path("Tests/Fuzz/\(folder)/\(input)"))))
        return FuzzHarness.run(target, bytes, fixtures: Self.fixtures)
    }

    @Test func seedsCoverEveryTarget() {
        let seeds = Self.inputs("seeds")
        for target in FuzzHarness.Target.allCases {
            #expect(seeds.contains { $0.hasPrefix(target.rawValue + "/") }, "\(target)")
        }
    }

    @Test(arguments: inputs("seeds"))
    func seedsRunThroughTheHarness(_ input: String) throws {
        _ = try replay("seeds", input)
    }

    @Test(arguments: inputs("regressions"))
    func pastCrashesStayFixed(_ input: String) throws {
        _ = try replay("regressions", input)
    }
}
