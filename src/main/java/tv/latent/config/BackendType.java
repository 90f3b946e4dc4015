package tv.latent.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every backend type LatentTV knows, the stage it serves and the options it takes. The YAML's
 * {@code type:} must be one of these; its options are checked against {@link #options()}.
 */
public enum BackendType {
  TEMPLATE("template", StageKind.DIRECTOR, Map.of()),
  PROCEDURAL_VIDEO("procedural-video", StageKind.RENDER, Map.of()),
  FFMPEG_UPSCALE("ffmpeg-upscale", StageKind.UPSCALE, Map.of()),
  FFMPEG_INTERPOLATE("ffmpeg-interpolate", StageKind.INTERPOLATE, Map.of("mode", Option.choice("mci", "blend"))),
  PROCEDURAL_MUSIC("procedural-music", StageKind.SCORE, Map.of());

  private final String key;
  private final StageKind stage;
  private final Map<String, Option> options;

  BackendType(String key, StageKind stage, Map<String, Option> options) {
    this.key = key;
    this.stage = stage;
    this.options = options;
  }

  /** The YAML name of the type ("ffmpeg-upscale"). */
  public String key() {
    return key;
  }

  public StageKind stage() {
    return stage;
  }

  public Map<String, Option> options() {
    return options;
  }

  /** The names of all types, for error messages. */
  public static Set<String> keys() {
    return Arrays.stream(values()).map(BackendType::key).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  public static BackendType of(String key) {
    for (BackendType type : values()) {
      if (type.key.equals(key)) {
        return type;
      }
    }
    return null;
  }

  /**
   * One option of a backend type: its kind and limits.
   *
   * @param required whether the YAML must give it
   * @param secret true for options that name an environment variable holding a secret
   */
  public record Option(Kind kind, double min, double max, List<String> choices, boolean required, boolean secret) {
    public enum Kind {
      STRING,
      INTEGER,
      NUMBER,
      BOOLEAN,
      CHOICE,
      STRINGS
    }

    public static Option string() {
      return new Option(Kind.STRING, 0, 0, List.of(), false, false);
    }

    public static Option requiredString() {
      return new Option(Kind.STRING, 0, 0, List.of(), true, false);
    }

    public static Option secretEnvName() {
      return new Option(Kind.STRING, 0, 0, List.of(), false, true);
    }

    public static Option integer(long min, long max) {
      return new Option(Kind.INTEGER, min, max, List.of(), false, false);
    }

    public static Option number(double min, double max) {
      return new Option(Kind.NUMBER, min, max, List.of(), false, false);
    }

    public static Option bool() {
      return new Option(Kind.BOOLEAN, 0, 0, List.of(), false, false);
    }

    public static Option strings() {
      return new Option(Kind.STRINGS, 0, 0, List.of(), false, false);
    }

    public static Option choice(String... values) {
      return new Option(Kind.CHOICE, 0, 0, List.of(values), false, false);
    }
  }
}
