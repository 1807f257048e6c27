#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where commands print. Tests swap in a capturing console; the real one writes to stdout and stderr.
public final class Console: @unchecked Sendable {
    private let lock = PthreadMutex()
    private var captured: (out: String, err: String)?
    /// True when standard output is a terminal and NO_COLOR is not set.
    public let color: Bool
    /// True when standard error is a terminal (and output is not captured): progress may be shown.
    public let isTerminal: Bool

    /// The console commands write to in the current task.
    @TaskLocal public static var current = Console(capturing: false)

    public init(capturing: Bool, color: Bool? = nil) {
        captured = capturing ? ("", "") : nil
        isTerminal = !capturing && isatty(STDERR_FILENO) == 1
        if let color {
            self.color = color
        } else {
            self.color = !capturing && isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil
        }
    }

    public func out(_ text: String) {
        lock.locked {
            if captured != nil { captured!.out += text } else { Self.write(text, to: STDOUT_FILENO) }
        }
    }

    public func err(_ text: String) {
        lock.locked {
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
    public var output: (out: String, err: String) { lock.locked { captured ?? ("", "") } }
}

/// A minimal mutex so the console can be shared across tasks.
final class PthreadMutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
