import CTSCore
import Foundation
import Synchronization

/// Checks each finished country on a second thread while the reader decodes the next one.
///
/// A country's cells are handed over whole (`CellTable.handOver`); its findings are put back where the
/// reader would have put them had it checked the country itself, so the findings come out in the same
/// order as from one thread. At most two countries wait to be checked; the reader waits beyond that.
/// The findings kept are limited as they come (`FindingLimit`), so that a return whose every cell breaks a
/// check holds a thousand findings of each check, not millions, until the end.
final class CountryChecks {
    private let channel = Pipeline.Channel<(table: CellTable, position: Int)>(capacity: 2)
    private let results = Results()
    private let done = DispatchSemaphore(value: 0)
    private var finished = false

    /// The findings of each country checked, with the position in the reader's findings they belong at.
    private final class Results: Sendable {
        private struct Held {
            var list: [(position: Int, findings: [Finding])] = []
            var limit = FindingLimit()
        }
        private let held = Mutex(Held())

        func append(_ position: Int, _ findings: [Finding]) {
            held.withLock { $0.list.append((position, $0.limit.admit(findings))) }
        }

        var all: [(position: Int, findings: [Finding])] { held.withLock { $0.list } }
        /// The findings the limit left out.
        var omitted: [OmittedFindings] { held.withLock { $0.limit.omitted } }
    }

    /// `check` runs on the second thread, one country's table at a time (`Validator.check`).
    init(check: @escaping @Sendable (CellTable) -> [Finding]) {
        let (channel, results, done) = (channel, results, done)
        let thread = Thread {
            while let job = try? channel.receive() { results.append(job.position, check(job.table)) }
            done.signal()
        }
        thread.stackSize = 8 << 20  // rules are evaluated recursively
        thread.start()
    }

    /// Queues the checks of one country's `table`; their findings belong before the reader's finding at
    /// `position` (its count of findings now).
    func submit(_ table: CellTable, at position: Int) {
        _ = channel.send((table, position))
    }

    /// Waits for every queued check, then returns `findings` with the checks' findings that `limit` keeps
    /// in their places; those left out on the way are counted in `limit`.
    func merge(into findings: [Finding], limit: inout FindingLimit) -> [Finding] {
        finish()
        limit.count(results.omitted)
        let checked = results.all  // in the order queued, so positions never go down
        var merged: [Finding] = []
        merged.reserveCapacity(findings.count + checked.reduce(0) { $0 + $1.findings.count })
        var next = 0
        for (i, finding) in findings.enumerated() {
            while next < checked.count && checked[next].position == i {
                merged += limit.admit(checked[next].findings)
                next += 1
            }
            merged.append(finding)
        }
        for rest in checked[next...] { merged += limit.admit(rest.findings) }
        return merged
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        channel.finish()
        done.wait()
    }

    /// A reading given up half-way (a country's rows came back) lets the thread end.
    deinit { finish() }
}
