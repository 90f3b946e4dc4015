package tv.latent.audience;

import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A queue of at most {@code capacity} elements between threads that must never wait for each
 * other: {@link #add} always succeeds at once, making room by dropping the oldest element, and
 * counts what it dropped; the consumer takes in order.
 *
 * <p>Thread-safe.
 */
final class DropOldestQueue<T> {
    private final BlockingQueue<T> queue;
    private final AtomicLong dropped = new AtomicLong();

    DropOldestQueue(int capacity) {
        queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues {@code element}; when the queue is full, the oldest element is dropped first. Never blocks. */
    void add(T element) {
        while (!queue.offer(element)) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    /** The oldest element, waiting until there is one. */
    T take() throws InterruptedException {
        return queue.take();
    }

    /** Moves every element queued now to {@code into}, oldest first. */
    void drainTo(Collection<? super T> into) {
        queue.drainTo(into);
    }

    /** Elements dropped to make room, since creation. */
    long dropped() {
        return dropped.get();
    }
}
