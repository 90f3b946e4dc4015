/**
 * The embedded renderer: reads a prompt into a {@code Scene} and paints it frame by frame,
 * deterministic by seed, then encodes it with ffmpeg. Not AI, and says so. Its only public
 * type is {@link tv.latent.generate.procedural.ProceduralRenderer}; depends on {@code generate}
 * (with its {@code internal} kit) and {@code media} only.
 */
package tv.latent.generate.procedural;
