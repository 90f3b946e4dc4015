/**
 * Shot jobs from a director's plan to a mastered clip: the durable job (one row per shot, a
 * {@link tv.latent.pipeline.JobState} per stage, versioned updates), the dispatcher with retries
 * and backoff ({@link tv.latent.pipeline.Pipeline}), the per-stage fallback chain, the output
 * checks, the master step, and the lookahead that asks a channel's director for shots only while
 * the channel needs them. Depends on {@code director}, {@code generate}, {@code media},
 * {@code library}, {@code config} and {@code time}; knows no concrete backend and no playout.
 */
package tv.latent.pipeline;
