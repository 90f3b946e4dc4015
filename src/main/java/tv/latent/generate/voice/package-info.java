/**
 * The embedded narrator's voice: Debian's {@code espeak-ng}, offline, no model weights. Depends on
 * {@code generate} (the {@link tv.latent.generate.Speaker} API and {@link
 * tv.latent.generate.SpeechAudio}) and {@code media}.
 */
package tv.latent.generate.voice;
