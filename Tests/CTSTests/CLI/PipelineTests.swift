import CTSCore
import CTSIO
import Foundation
import Testing

/// Ingest reads on one thread and stores on another through `Pipeline`: everything must arrive once, in
/// order, whatever the queue's size, and an error on either side must stop both without a hang.
@Suite struct PipelineTests {
    struct Stop: Error, Equatable { var side: String }

    @Test(arguments: [1, 2, 3, 8, 100]) func deliversEverythingInOrder(capacity: Int) throws {
        var received: [Int] = []
        try Pipeline.run(capacity: capacity) { (send: (Int) throws -> Void) in
            for i in 0..<5_000 { try send(i) }
        } consume: {
            received.append($0)
        }
        #expect(received == Array(0..<5_000))
    }

    @Test(arguments: [1, 4]) func aFailingConsumerStopsTheProducer(capacity: Int) throws {
        var received = 0
        #expect(throws: Stop(side: "consumer")) {
            try Pipeline.run(capacity: capacity) { (send: (Int) throws -> Void) in
                // Would run forever if a stopped consumer did not stop it.
                var i = 0
                while true {
                    try send(i)
                    i += 1
                }
            } consume: { value in
                received += 1
                if value == 100 { throw Stop(side: "consumer") }
            }
        }
        #expect(received == 101)
    }

    @Test(arguments: [1, 4]) func aFailingProducerIsReportedAfterWhatItSent(capacity: Int) throws {
        var received: [Int] = []
        #expect(throws: Stop(side: "producer")) {
            try Pipeline.run(capacity: capacity) { (send: (Int) throws -> Void) in
                for i in 0..<50 { try send(i) }
                throw Stop(side: "producer")
            } consume: {
                received.append($0)
            }
        }
        #expect(received == Array(0..<50))
    }

    /// What the consumer is done with is freed on the producer's thread, which allocated it (freed on the
    /// consumer's, it went back to the producer's malloc arena under a lock both threads then waited on).
    /// Only the last few, given back after the producer's last send, are freed elsewhere.
    @Test(arguments: [1, 2, 8]) func elementsAreFreedOnTheProducersThread(capacity: Int) throws {
        final class Freed: @unchecked Sendable {
            let lock = NSLock()
            var threads: [pthread_t] = []
            func record() {
                lock.lock()
                threads.append(pthread_self())
                lock.unlock()
            }
        }
        final class Element: Sendable {
            let freed: Freed
            init(_ freed: Freed) { self.freed = freed }
            deinit { freed.record() }
        }
        let freed = Freed()
        let producerThread = Freed()
        let count = 200
        try Pipeline.run(capacity: capacity) { (send: (Element) throws -> Void) in
            producerThread.record()
            for _ in 0..<count { try send(Element(freed)) }
        } consume: { _ in
        }
        let producer = try #require(producerThread.threads.first)
        #expect(freed.threads.count == count)
        let onProducer = freed.threads.filter { pthread_equal($0, producer) != 0 }.count
        #expect(onProducer >= count - capacity - 2, "\(onProducer) of \(count)")
    }
}

/// Aggregate's families, its trend lines and the store's two halves run through `Parallel.map`: every job
/// once, results in job order, however the threads took them.
@Suite struct ParallelMapTests {
    @Test(arguments: [0, 1, 2, 3, 1000]) func resultsComeBackInJobOrder(count: Int) {
        let results = Parallel.map(count) { i -> String in
            if i % 7 == 0 { usleep(200) }  // uneven jobs, so the threads finish out of order
            return "job \(i)"
        }
        #expect(results == (0..<count).map { "job \($0)" })
    }
}
