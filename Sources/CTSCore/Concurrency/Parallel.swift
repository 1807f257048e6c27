import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Independent jobs on every core.
public enum Parallel {
    /// The number of cores this process may use.
    public static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `body(i)` for each `i` in `0..<count`, on as many threads as the machine has cores; each thread
    /// takes the next job when it finishes one. The results come back in job order, so they do not depend
    /// on how the jobs were scheduled.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let jobs = Jobs<T>(count)
        DispatchQueue.concurrentPerform(iterations: min(count, cores)) { _ in
            while case let index = jobs.take(), index < count { jobs.results[index] = body(index) }
        }
        return jobs.finish()
    }

    /// The next job to take (handed out one at a time) and a slot for each result.
    ///
    /// Unchecked: `results` is written without a lock, and that is safe because `take` hands each index
    /// to exactly one thread, which alone writes that slot, and `finish` reads them only after
    /// `concurrentPerform` has returned (every write happened before it).
    private final class Jobs<T: Sendable>: @unchecked Sendable {
        private let next = Mutex(0)
        let results: UnsafeMutableBufferPointer<T?>

        init(_ count: Int) {
            results = .allocate(capacity: count)
            results.initialize(repeating: nil)
        }

        func take() -> Int {
            next.withLock { next in
                next += 1
                return next - 1
            }
        }

        /// The results, once every job is done.
        func finish() -> [T] {
            defer {
                results.deinitialize()
                results.deallocate()
            }
            return results.map { $0! }
        }
    }
}
