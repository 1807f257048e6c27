import CTSCLI

// libFuzzer entry for cts (make fuzz). Built with -DFUZZING and -sanitize=fuzzer, it hands control to
// libFuzzer's driver, which calls LLVMFuzzerTestOneInput; CTS_FUZZ_TARGET (csv, questionnaire, rule)
// picks the harness (csv, questionnaire, rule, store, correspondence, groups). Built normally, it replays files: cts-fuzz TARGET FILE... runs each through it.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Set once by setUp on libFuzzer's single thread, before any input runs; read only on that thread.
nonisolated(unsafe) var fixtures: FuzzHarness.Fixtures? = nil
nonisolated(unsafe) var target: FuzzHarness.Target = .csv

func setUp() {
    guard fixtures == nil else { return }
    let root = getenv("CTS_ROOT").map { String(cString: $0) } ?? "."
    fixtures = try! FuzzHarness.Fixtures(root: root)
    if let name = getenv("CTS_FUZZ_TARGET").map({ String(cString: $0) }) {
        target = FuzzHarness.Target(rawValue: name) ?? .csv
    }
}

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func runDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        FuzzHarness.run(target, bytes, fixtures: fixtures!)
        return 0
    }

    // libFuzzer's own main is not linked (SwiftPM supplies the program's entry point), so the entry point
    // starts libFuzzer's driver.
    @main
    struct FuzzEntry {
        static func main() {
            setUp()
            var count = CommandLine.argc
            var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(runDriver(&count, &arguments, fuzzOneInput))
        }
    }
#else
    import ArgumentParser

    /// Replays inputs through a fuzzing harness, e.g. a crash file the fuzzer wrote.
    @main
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cts-fuzz",
            abstract: "Replay inputs through a cts fuzzing harness (make fuzz builds the fuzzer itself).")

        @Argument(help: "The harness: csv, questionnaire, rule, store, correspondence or groups.")
        var harness: String

        @Argument(help: "Input files.")
        var files: [String]

        func run() throws {
            guard let chosen = FuzzHarness.Target(rawValue: harness) else {
                throw ValidationError(
                    "The harness must be one of: "
                        + FuzzHarness.Target.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            setUp()
            for file in files {
                guard let handle = fopen(file, "rb") else { throw ValidationError("Cannot read \(file).") }
                var bytes: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = fread(&buffer, 1, buffer.count, handle)
                    if n <= 0 { break }
                    bytes += buffer[0..<n]
                }
                fclose(handle)
                print("\(file): \(FuzzHarness.run(chosen, bytes, fixtures: fixtures!)) results")
            }
        }
    }
#endif
