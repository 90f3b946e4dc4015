package tv.latent.moderation;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.moderation.ModerationClient;
import tv.latent.backend.moderation.ModerationException;
import tv.latent.backend.moderation.ModerationResult;
import tv.latent.config.StudioConfig;
import tv.latent.time.MonotonicClock;

/**
 * The moderation gate for one text: the configured word and pattern lists first (local, cheap),
 * then the moderation endpoint when one is configured. The endpoint's verdicts are remembered for
 * an hour (at most {@link #REMEMBERED} texts, the oldest forgotten first), so a text checked once
 * (a duplicate, a retry) costs no second call.
 *
 * <pre>{@code
 * try (Moderator moderator = Moderator.of(config.studio().moderation(), System::getenv)) {
 *   Verdict verdict = moderator.check("a red fox crossing a misty river");
 *   if (verdict.flagged()) { ... verdict.reason() goes to the audit log, never to the viewer ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} is idempotent and aborts calls in flight.
 */
public final class Moderator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Moderator.class);
    /** Endpoint verdicts remembered; beyond it the oldest are forgotten. */
    static final int REMEMBERED = 2048;

    private static final Duration REMEMBER_FOR = Duration.ofHours(1);

    private final WordList lists;
    private final Optional<ModerationClient> endpoint;
    private final String endpointName;
    private final int directorTries;
    private final MonotonicClock monotonic = MonotonicClock.system();
    private final Map<String, Remembered> remembered = new LinkedHashMap<>(64, 0.75f, true);

    private record Remembered(Verdict verdict, long atNanos) {}

    private Moderator(StudioConfig.Moderation settings, Optional<ModerationClient> endpoint, String endpointName) {
        this.lists = new WordList(settings.words(), settings.patterns());
        this.endpoint = endpoint;
        this.endpointName = endpointName;
        this.directorTries = settings.directorTries();
    }

    /**
     * The gate the settings describe; the endpoint's key is read from {@code environment} by the
     * name the settings give.
     */
    public static Moderator of(StudioConfig.Moderation settings, UnaryOperator<String> environment) {
        Optional<ModerationClient> client = settings.endpoint().map(e -> ModerationClient.builder(URI.create(e.url()))
                .apiKey(e.apiKeyEnv().isEmpty() ? null : environment.apply(e.apiKeyEnv()))
                .model(e.model())
                .callTimeout(e.timeout())
                .build());
        return new Moderator(
                settings,
                client,
                settings.endpoint().map(StudioConfig.ModerationEndpoint::url).orElse(""));
    }

    /** A gate that lets everything through (nothing configured). */
    public static Moderator none() {
        return new Moderator(StudioConfig.Moderation.NONE, Optional.empty(), "");
    }

    /** True when nothing is configured and every text passes. */
    public boolean passesEverything() {
        return lists.isEmpty() && endpoint.isEmpty();
    }

    /** How many times a director is asked for a shot that passes. */
    public int directorTries() {
        return directorTries;
    }

    /**
     * Checks one text: the lists, then the endpoint.
     *
     * @throws ModerationUnavailableException when the endpoint could not answer (the text must not be used)
     */
    public Verdict check(String text) throws ModerationUnavailableException {
        Optional<Verdict> listed = lists.match(text);
        if (listed.isPresent()) {
            return listed.get();
        }
        if (endpoint.isEmpty()) {
            return Verdict.PASSED;
        }
        Verdict known = recall(text);
        if (known != null) {
            return known;
        }
        ModerationResult result;
        try {
            result = endpoint.get().moderate(text);
        } catch (ModerationException e) {
            LOG.warn("the moderation endpoint could not check a text: {}", e.getMessage());
            throw new ModerationUnavailableException("the moderation endpoint could not answer: " + e.getMessage(), e);
        }
        Verdict verdict = result.flagged()
                ? Verdict.flagged(
                        "endpoint",
                        "flagged by " + endpointName
                                + (result.categories().isEmpty()
                                        ? ""
                                        : " as " + String.join(", ", result.categories())))
                : Verdict.PASSED;
        remember(text, verdict);
        return verdict;
    }

    /** Checks one text against the lists only (no network); for what must be decided at once. */
    public Verdict checkLists(String text) {
        return lists.match(text).orElse(Verdict.PASSED);
    }

    private synchronized Verdict recall(String text) {
        Remembered r = remembered.get(text);
        if (r == null) {
            return null;
        }
        if (monotonic.nanos() - r.atNanos() > REMEMBER_FOR.toNanos()) {
            remembered.remove(text);
            return null;
        }
        return r.verdict();
    }

    private synchronized void remember(String text, Verdict verdict) {
        remembered.put(text, new Remembered(verdict, monotonic.nanos()));
        if (remembered.size() > REMEMBERED) {
            var oldest = remembered.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    @Override
    public void close() {
        endpoint.ifPresent(ModerationClient::close);
    }
}
