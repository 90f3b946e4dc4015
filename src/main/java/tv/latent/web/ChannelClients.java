package tv.latent.web;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Who is connected to each channel's stream, the part {@link EventClients} and {@link
 * StreamClients} share: admission under a total cap and a cap per channel, leaving, dropping a
 * client that fell behind (removed at once, its connection aborted), and the counts the origin's
 * metrics show. What a client queues and how it is written stays with the subclass.
 *
 * <pre>{@code
 * Optional<Client> joined = admit("tv", () -> new Client(abort)); // empty: a cap is reached
 * for (Client client : clientsOf("tv")) { if (!client.offer(frame)) drop("tv", client); }
 * leave("tv", client);
 * }</pre>
 *
 * <p>Thread-safe: admission and removal hold this object's lock. {@link #close()} refuses new
 * clients and ends every client; idempotent.
 */
abstract class ChannelClients<C extends ChannelClients.Member> implements AutoCloseable {
    private final int maxTotal;
    private final int maxPerChannel;
    private final Map<String, Set<C>> byChannel = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private int total; // guarded by this
    private boolean closed; // guarded by this

    /** One client of a channel's stream, as {@link ChannelClients} ends and drops it. */
    abstract static class Member {
        private final Runnable abort;

        /** @param abort closes the client's connection (called when the client is dropped) */
        Member(Runnable abort) {
            this.abort = abort;
        }

        /** Stops serving the client: its queue is emptied and a writer waiting on it returns. Idempotent. */
        abstract void end();

        /** Closes the client's connection, so that a write blocked on it ends too. */
        final void abort() {
            try {
                abort.run();
            } catch (RuntimeException e) {
                // the connection is already gone
            }
        }
    }

    ChannelClients(int maxTotal, int maxPerChannel) {
        this.maxTotal = maxTotal;
        this.maxPerChannel = maxPerChannel;
    }

    /**
     * Admits the client {@code newClient} makes to a channel, or says no (and counts a refusal) when
     * the channel or the whole origin has as many clients as allowed, or the origin is closing.
     * {@code newClient} is called under this object's lock, only when the client is admitted.
     */
    final synchronized Optional<C> admit(String channelId, Supplier<C> newClient) {
        if (closed || total >= maxTotal || count(channelId) >= maxPerChannel) {
            rejected.increment();
            return Optional.empty();
        }
        C client = newClient.get();
        byChannel
                .computeIfAbsent(channelId, id -> ConcurrentHashMap.newKeySet())
                .add(client);
        total++;
        return Optional.of(client);
    }

    /** Removes a client (its stream ended, or it was dropped); idempotent. */
    final void leave(String channelId, C client) {
        client.end();
        remove(channelId, client);
    }

    /** Removes a client that fell behind, ends it and aborts its connection; idempotent. */
    final void drop(String channelId, C client) {
        if (remove(channelId, client)) {
            dropped.increment();
            client.end();
            client.abort();
        }
    }

    private synchronized boolean remove(String channelId, C client) {
        Set<C> set = byChannel.get(channelId);
        if (set != null && set.remove(client)) {
            total--;
            return true;
        }
        return false;
    }

    /** The clients of a channel now, for a fan-out (a live view: it may change while iterated). */
    final Set<C> clientsOf(String channelId) {
        Set<C> set = byChannel.get(channelId);
        return set == null ? Set.of() : set;
    }

    /** Clients connected now, all channels. */
    final synchronized int count() {
        return total;
    }

    /** Clients of one channel connected now. */
    final int count(String channelId) {
        return clientsOf(channelId).size();
    }

    /** Clients refused because a cap was reached, since start. */
    final long rejected() {
        return rejected.sum();
    }

    /** Clients dropped because they fell behind, since start. */
    final long dropped() {
        return dropped.sum();
    }

    /** Whether {@link #close()} was called; read under this object's lock to decide with admission. */
    final synchronized boolean closed() {
        return closed;
    }

    /** Refuses every later client and ends those connected now. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        byChannel.forEach((channelId, set) -> set.forEach(client -> leave(channelId, client)));
    }
}
