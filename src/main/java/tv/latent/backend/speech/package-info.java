/**
 * Clients of text-to-speech servers: any OpenAI-compatible {@code POST /audio/speech} (OpenAI,
 * Kokoro-FastAPI and others) and Piper's HTTP server ({@code POST /} with the text). The audio of
 * an answer goes to a file within a byte limit and a deadline, so a server that sends forever, or
 * answers a success with an error page, fails the call with a typed reason.
 *
 * <p>Entry point: {@link tv.latent.backend.speech.SpeechClient}; failures are {@link
 * tv.latent.backend.speech.SpeechException}s whose kind says whether a retry may help.
 *
 * <p>May depend on: {@code tv.latent.backend.http}, Jackson, slf4j and the JDK; on no other
 * LatentTV package.
 */
package tv.latent.backend.speech;
