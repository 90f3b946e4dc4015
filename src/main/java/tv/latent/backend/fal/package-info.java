/**
 * Client of fal's queue and of the same queue behind the Hugging Face Inference Providers router:
 * {@link tv.latent.backend.fal.FalClient} submits an app's input, polls its status (queue position,
 * logs, GPU time), fetches the result, cancels on timeout and downloads result files without the
 * key; failures are {@link tv.latent.backend.fal.FalException}s (a content-policy refusal, a
 * refused key, a rate limit with its {@code Retry-After}, ...).
 *
 * <p>May depend on: the JDK, Jackson, slf4j and {@code tv.latent.backend.http}; knows no LatentTV type.
 */
package tv.latent.backend.fal;
