package tv.latent.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tv.latent.config.BackendConfig;
import tv.latent.config.ChannelConfig;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.config.StageKind;
import tv.latent.director.Director;
import tv.latent.director.TemplateDirector;
import tv.latent.generate.EmbeddedStages;
import tv.latent.generate.InterpolationMode;
import tv.latent.generate.Interpolator;
import tv.latent.generate.Renderer;
import tv.latent.generate.Scorer;
import tv.latent.generate.Upscaler;
import tv.latent.media.Ffmpeg;

/**
 * Makes the backends a configuration names, once each (so a backend's concurrency cap holds
 * across every channel that uses it), and hands each channel its fallback chains.
 *
 * <p>Not thread-safe during wiring; closes every backend it made, once.
 */
public final class BackendFactory implements AutoCloseable {
  private final LatentConfig config;
  private final Ffmpeg ffmpeg;
  private final Map<String, Backend<?>> made = new LinkedHashMap<>();
  private final Map<String, Director> directors = new LinkedHashMap<>();

  public BackendFactory(LatentConfig config, Ffmpeg ffmpeg) {
    this.config = config;
    this.ffmpeg = ffmpeg;
  }

  public ChannelStages stagesFor(ChannelConfig channel) {
    return new ChannelStages(channel,
        chain(channel, StageKind.RENDER, Renderer.class),
        chain(channel, StageKind.UPSCALE, Upscaler.class),
        chain(channel, StageKind.INTERPOLATE, Interpolator.class),
        chain(channel, StageKind.SCORE, Scorer.class));
  }

  /** The channel's director: the first of its director chain. */
  public Director directorFor(ChannelConfig channel) {
    String name = channel.chain(StageKind.DIRECTOR).get(0);
    return directors.computeIfAbsent(name, n -> {
      BackendConfig backend = ConfigLoader.resolve(config, StageKind.DIRECTOR, n);
      return switch (backend.type()) {
        case TEMPLATE -> new TemplateDirector();
        default -> throw new IllegalArgumentException("backend " + n + " is not a director");
      };
    });
  }

  private <T extends AutoCloseable> List<Backend<T>> chain(ChannelConfig channel, StageKind stage, Class<T> kind) {
    List<Backend<T>> chain = new ArrayList<>();
    for (String name : channel.chain(stage)) {
      Backend<?> backend = made.computeIfAbsent(stage.key() + "/" + name, key -> make(ConfigLoader.resolve(config, stage, name)));
      chain.add(cast(backend, kind));
    }
    return chain;
  }

  @SuppressWarnings("unchecked")
  private static <T extends AutoCloseable> Backend<T> cast(Backend<?> backend, Class<T> kind) {
    if (!kind.isInstance(backend.impl())) {
      throw new IllegalArgumentException("backend " + backend.name() + " is not a " + kind.getSimpleName());
    }
    return (Backend<T>) backend;
  }

  private Backend<?> make(BackendConfig b) {
    AutoCloseable impl = switch (b.type()) {
      case PROCEDURAL_VIDEO -> EmbeddedStages.renderer(ffmpeg, b.timeout());
      case FFMPEG_UPSCALE -> EmbeddedStages.upscaler(ffmpeg, b.timeout());
      case FFMPEG_INTERPOLATE -> EmbeddedStages.interpolator(ffmpeg, InterpolationMode.parse(b.option("mode", "mci")), b.timeout());
      case PROCEDURAL_MUSIC -> EmbeddedStages.scorer();
      case TEMPLATE -> throw new IllegalArgumentException("backend " + b.name() + " is a director");
    };
    return Backend.of(b.name(), impl, b.concurrency(), b.timeout());
  }

  @Override
  public void close() {
    for (Backend<?> backend : made.values()) {
      try {
        backend.impl().close();
      } catch (Exception ignored) {
        // closing everything; one backend's failure must not keep the others open
      }
    }
    made.clear();
    directors.values().forEach(Director::close);
    directors.clear();
  }
}
