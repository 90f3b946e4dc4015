package tv.latent.backend.testing;

/**
 * How a fake model server misbehaves: in every call concerned, or in the next few and then not.
 *
 * <pre>{@code
 * faults.set(Misbehaviour.THROTTLE, 1);          // the next submit is throttled, later ones are not
 * if (faults.now(Misbehaviour.THROTTLE)) { ... } // counts the call it answers
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @param <M> the fake's misbehaviours, one of which means none
 */
public final class Faults<M extends Enum<M>> {
    private final M none;
    private M current;
    private int left = Integer.MAX_VALUE;

    public Faults(M none, M initial) {
        this.none = none;
        this.current = initial;
    }

    /** Misbehaves as {@code value} in the next {@code times} calls concerned ({@code Integer.MAX_VALUE}: from now on). */
    public synchronized void set(M value, int times) {
        current = value;
        left = times;
    }

    /** Whether this call misbehaves as {@code m}; a call that does counts against the times left. */
    public synchronized boolean now(M m) {
        if (current != m || left <= 0) {
            return false;
        }
        if (left != Integer.MAX_VALUE && --left == 0) {
            current = none;
        }
        return true;
    }

    /** The misbehaviour in force, without counting a call. */
    public synchronized M current() {
        return current;
    }
}
