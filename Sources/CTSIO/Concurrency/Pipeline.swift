import Foundation

/// Runs a producer on its own thread and its consumer on the calling one, joined by a bounded queue: on a
/// machine with two cores, reading and normalizing a return overlaps with storing it.
///
/// Memory holds at most `capacity` elements in the queue. An error on either side stops both; `run`
/// returns only once the producer's thread has finished, and throws the first error (the consumer's if it
/// failed first, else the producer's).
public enum Pipeline {
    public static func run<Element: Sendable>(
        capacity: Int = 4, produce: @escaping @Sendable (_ send: (Element) throws -> Void) throws -> Void,
        consume: (Element) throws -> Void
    ) throws {
        let channel = Channel<Element>(capacity: capacity)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                try produce { element in
                    guard channel.send(element) else { throw CancellationError() }
                }
                channel.finish()
            } catch {
                channel.finish(throwing: error)
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while let element = try channel.receive() {
                try consume(element)
                // Freed on the producer's thread, which allocated it: freed here, each block would go back
                // to the producer's malloc arena under its lock, which the producer then waits on.
                channel.giveBack(consume element)
            }
        } catch {
            channel.cancel()
            done.wait()
            channel.dropReturned()
            throw error
        }
        done.wait()
        // The last elements came back after the producer's last send: freed here, before `run` returns,
        // not whenever the producer's thread lets go of the channel.
        channel.dropReturned()
    }

    /// A bounded first-in, first-out queue between two threads.
    ///
    /// Unchecked: its state is mutable, and safe to share because every stored property other than the
    /// constant `capacity` is read and written only while `condition` is locked (a condition variable,
    /// which `Mutex` has not).
    public final class Channel<Element: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        /// Taken elements are nil: the consumer holds them until it gives them back.
        private var queue: [Element?] = []
        /// Elements the consumer is done with, freed by the producer on its next send.
        private var returned: [Element] = []
        private var head = 0
        private let capacity: Int
        private var finished = false
        private var failure: (any Error)?
        private var cancelled = false

        public init(capacity: Int) { self.capacity = max(1, capacity) }

        /// Waits for room and adds `element`; false once the consumer has stopped.
        public func send(_ element: Element) -> Bool {
            var done: [Element] = []
            condition.lock()
            defer {
                condition.unlock()
                done.removeAll()
            }
            while queue.count - head >= capacity && !cancelled { condition.wait() }
            swap(&done, &returned)
            guard !cancelled else { return false }
            // Drop what the consumer has taken (at most `capacity` elements are ever held).
            queue.removeFirst(head)
            head = 0
            queue.append(element)
            condition.broadcast()
            return true
        }

        /// Hands back an element the consumer is done with, for the producer to free on its thread.
        public func giveBack(_ element: consuming Element) {
            condition.lock()
            returned.append(element)
            condition.unlock()
        }

        /// Frees the elements given back that the producer has not freed.
        func dropReturned() {
            condition.lock()
            let done = returned
            returned = []
            condition.unlock()
            _ = done
        }

        /// Ends the stream, with the producer's error if it failed.
        public func finish(throwing error: (any Error)? = nil) {
            condition.lock()
            finished = true
            failure = error
            condition.broadcast()
            condition.unlock()
        }

        /// The next element, or nil at the end; throws the producer's error once the queue is drained.
        public func receive() throws -> Element? {
            condition.lock()
            defer { condition.unlock() }
            while head == queue.count && !finished { condition.wait() }
            if head < queue.count {
                let element = queue[head].take()!
                head += 1
                condition.broadcast()
                return element
            }
            if let failure { throw failure }
            return nil
        }

        /// The consumer stops: a producer waiting for room is released and told to stop.
        public func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
