package tv.latent.auth;

import java.time.Duration;
import java.util.Optional;
import tv.latent.time.MonotonicClock;
import tv.latent.time.SlidingWindow;

/**
 * Login rate limits, checked before any password hash is computed: per client address, at most
 * {@code perAddress} attempts in a sliding {@code window}; per account, at most
 * {@code failuresPerAccount} failed attempts in the window (from any address), after which the
 * account takes no attempt until the oldest of them leaves the window. A success clears the
 * account's failures.
 *
 * <pre>{@code
 * Optional<LoginThrottle.Refusal> no = throttle.admit(ip, "admin");
 * if (no.isPresent()) { answer 429, no.get().message(); }
 * else if (passwordOk) { throttle.succeeded("admin"); } else { throttle.failed("admin"); }
 * }</pre>
 *
 * <p>Bounded: at most {@link #KEYS} addresses and {@link #KEYS} accounts are remembered.
 * Thread-safe.
 */
final class LoginThrottle {
    /** Addresses, and accounts, remembered at most. */
    static final int KEYS = 10_000;

    private final SlidingWindow addresses;
    private final SlidingWindow accounts;

    /**
     * Why an attempt is refused, for the person trying.
     *
     * @param byAddress true when the address made too many attempts, false when the account had too many failures
     */
    record Refusal(boolean byAddress, Duration retryIn) {
        String message() {
            long seconds = Math.max(1, (retryIn.toMillis() + 999) / 1000);
            String when = seconds < 120 ? seconds + " s" : ((seconds + 59) / 60) + " min";
            return byAddress
                    ? "Too many login attempts from your address. Try again in " + when + "."
                    : "Too many failed logins for this account. Try again in " + when + ".";
        }
    }

    LoginThrottle(int perAddress, int failuresPerAccount, Duration window, MonotonicClock clock) {
        this.addresses = new SlidingWindow(perAddress, window, KEYS, clock);
        this.accounts = new SlidingWindow(failuresPerAccount, window, KEYS, clock);
    }

    /** Counts an attempt from {@code address} on {@code account}, or refuses it (then it counts nothing). */
    synchronized Optional<Refusal> admit(String address, String account) {
        Optional<Duration> locked = accounts.waitFor(account);
        if (locked.isPresent()) {
            return Optional.of(new Refusal(false, locked.get()));
        }
        return addresses.acquire(address).map(wait -> new Refusal(true, wait));
    }

    /** An admitted attempt on {@code account} failed. */
    void failed(String account) {
        accounts.record(account);
    }

    /** An admitted attempt on {@code account} succeeded: its failures are forgotten. */
    void succeeded(String account) {
        accounts.clear(account);
    }
}
