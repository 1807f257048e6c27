import Foundation

/// Independent jobs on every core.
enum Parallel {
    /// `body(i)` for each `i` in `0..<count`, on as many threads as the machine has cores; each thread
    /// takes the next job when it finishes one. The results come back in job order, so they do not depend
    /// on how the jobs were scheduled.
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let jobs = Jobs<T>(count)
        let threads = max(1, min(count, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while case let index = jobs.take(), index < count { jobs.put(body(index), at: index) }
        }
        return jobs.results.map { $0! }
    }

    /// The next job to take and the results so far, shared by the threads under a lock.
    private final class Jobs<T: Sendable>: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var results: [T?]

        init(_ count: Int) { results = Array(repeating: nil, count: count) }

        func take() -> Int {
            lock.lock()
            defer { lock.unlock() }
            next += 1
            return next - 1
        }

        func put(_ result: T, at index: Int) {
            lock.lock()
            results[index] = result
            lock.unlock()
        }
    }
}
