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
