import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where commands print. Tests swap in a capturing console; the real one writes to stdout and stderr.
public final class Console: Sendable {
    /// What a capturing console has received (nil: it writes to the terminal). Writes to the terminal
    /// also happen while it is held, so lines from two threads never interleave.
    private let captured: Mutex<(out: String, err: String)?>
    /// True when standard output is a terminal and NO_COLOR is not set.
    public let color: Bool
    /// True when standard error is a terminal (and output is not captured): progress may be shown.
    public let isTerminal: Bool

    /// The console commands write to in the current task.
    @TaskLocal public static var current = Console(capturing: false)

    public init(capturing: Bool, color: Bool? = nil) {
        captured = Mutex(capturing ? ("", "") : nil)
        isTerminal = !capturing && isatty(STDERR_FILENO) == 1
        if let color {
            self.color = color
        } else {
            self.color = !capturing && isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil
        }
    }

    public func out(_ text: String) {
        captured.withLock { captured in
            if captured != nil { captured!.out += text } else { Self.write(text, to: STDOUT_FILENO) }
        }
    }

    public func err(_ text: String) {
        captured.withLock { captured in
            if captured != nil { captured!.err += text } else { Self.write(text, to: STDERR_FILENO) }
        }
    }

    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// What a capturing console has received.
    public var output: (out: String, err: String) { captured.withLock { $0 ?? ("", "") } }
}
