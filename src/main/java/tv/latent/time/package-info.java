/**
 * Time as LatentTV uses it: a {@link tv.latent.time.MonotonicClock} for deadlines and backoffs
 * (wall-clock steps cannot shorten or stretch them) and the one {@link tv.latent.time.Backoff}
 * every retry loop uses. Wall-clock time, for what airs when, is a {@link java.time.InstantSource}
 * injected where needed; {@link tv.latent.time.Threads} stops worker threads within a bound, as
 * every {@code close()} does. Depends on nothing of LatentTV; every package may use it.
 */
package tv.latent.time;
