#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress bar on standard error, shown only to a person at a terminal: never when output
/// is captured or redirected, in CI (`CI` set), or with `--quiet`.
final class Progress {
    private let total: Int
    private let console: Console
    private let enabled: Bool
    private var done = 0

    init(total: Int, console: Console, quiet: Bool) {
        self.total = total
        self.console = console
        enabled = !quiet && total > 1 && console.isTerminal && getenv("CI") == nil
    }

    /// Shows that `item` is being worked on.
    func step(_ item: String) {
        done += 1
        guard enabled else { return }
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let name = item.count > 40 ? "…" + item.suffix(39) : item
        console.err("\r\u{1B}[2K[\(bar)] \(done)/\(total) \(name)")
    }

    /// Removes the bar.
    func finish() {
        if enabled { console.err("\r\u{1B}[2K") }
    }
}
