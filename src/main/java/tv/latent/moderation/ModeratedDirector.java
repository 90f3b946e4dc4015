package tv.latent.moderation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;

/**
 * A director whose every shot passed moderation: the prompt, title and music prompt of each shot
 * the inner director writes (an LLM or the template director) are checked before the shot is
 * handed on, so nothing is spent on a flagged one and nothing flagged can air. A flagged shot is
 * replaced by asking the inner director again (with the flagged prompt among those to avoid and
 * another seed), at most {@link Moderator#directorTries()} rounds; every flagged shot is audited.
 *
 * <pre>{@code
 * Director director = new ModeratedDirector(backends.directorFor(channel), moderator, audit, channel.id());
 * }</pre>
 *
 * <p>{@link #plan} returns fewer shots than asked when the rounds run out (never a flagged one),
 * and fails when none passed, or when the moderation endpoint could not answer (fail closed: the
 * lookahead backs off and the channel airs reruns meanwhile). {@link #adapt} fails when every
 * adaptation was flagged. Thread-safe when the inner director is. Closes the inner director.
 */
public final class ModeratedDirector implements Director {
    private static final Logger LOG = LoggerFactory.getLogger(ModeratedDirector.class);

    private final Director inner;
    private final Moderator moderator;
    private final AuditTrail audit;
    private final String channelId;

    public ModeratedDirector(Director inner, Moderator moderator, AuditTrail audit, String channelId) {
        this.inner = inner;
        this.moderator = moderator;
        this.audit = audit;
        this.channelId = channelId;
    }

    /** Every text of a shot that reaches a model or the screen (the negative prompt only steers away). */
    static List<String> texts(ShotPlan shot) {
        List<String> texts = new ArrayList<>(List.of(shot.prompt(), shot.title()));
        if (!shot.musicPrompt().isBlank()) {
            texts.add(shot.musicPrompt());
        }
        return texts;
    }

    @Override
    public Direction plan(DirectorRequest request) throws IOException, InterruptedException {
        if (moderator.passesEverything()) {
            return inner.plan(request);
        }
        List<ShotPlan> passed = new ArrayList<>();
        List<String> avoid = new ArrayList<>(request.recentPrompts());
        Direction last = null;
        int flagged = 0;
        for (int round = 0; round < moderator.directorTries() && passed.size() < request.count(); round++) {
            long seed =
                    round == 0 ? request.seed() : ThreadLocalRandom.current().nextLong(0, Integer.MAX_VALUE);
            last = inner.plan(new DirectorRequest(request.brief(), avoid, request.count() - passed.size(), seed));
            for (ShotPlan shot : last.shots()) {
                Verdict verdict = check(shot);
                if (verdict.flagged()) {
                    flagged++;
                    avoid.addFirst(shot.prompt());
                    audit.record(
                            "moderation",
                            "director.shot-replaced",
                            "channel:" + channelId,
                            verdict.reason() + " (" + verdict.source() + "), " + last.director()
                                    + " director's shot not made: " + quote(shot.prompt()));
                } else if (passed.size() < request.count()) {
                    passed.add(shot);
                }
            }
        }
        if (passed.isEmpty()) {
            throw new IOException("moderation flagged all " + flagged + " shots the director wrote for channel "
                    + channelId + " in " + moderator.directorTries() + " rounds");
        }
        if (flagged > 0) {
            LOG.info(
                    "channel {}: moderation replaced {} of the director's shots ({} of {} asked passed)",
                    channelId,
                    flagged,
                    passed.size(),
                    request.count());
        }
        String note = flagged == 0 ? last.note() : join(last.note(), flagged + " flagged shots replaced");
        return new Direction(passed, last.director(), note);
    }

    @Override
    public Direction adapt(AdaptRequest request) throws IOException, InterruptedException {
        if (moderator.passesEverything()) {
            return inner.adapt(request);
        }
        List<String> avoid = new ArrayList<>(request.recentPrompts());
        for (int round = 0; round < moderator.directorTries(); round++) {
            long seed =
                    round == 0 ? request.seed() : ThreadLocalRandom.current().nextLong(0, Integer.MAX_VALUE);
            Direction adapted = inner.adapt(new AdaptRequest(request.brief(), request.suggestion(), avoid, seed));
            ShotPlan shot = adapted.shots().getFirst();
            Verdict verdict = check(shot);
            if (!verdict.flagged()) {
                return adapted;
            }
            avoid.addFirst(shot.prompt());
            audit.record(
                    "moderation",
                    "director.shot-replaced",
                    "channel:" + channelId,
                    verdict.reason() + " (" + verdict.source() + "), " + adapted.director()
                            + " director's adaptation of a viewer's suggestion not made: " + quote(shot.prompt()));
        }
        throw new IOException("moderation flagged every shot the director made of the suggestion");
    }

    /** One shot's texts: the lists for each, then the endpoint once for all of them together. */
    private Verdict check(ShotPlan shot) throws ModerationUnavailableException {
        List<String> texts = texts(shot);
        for (String text : texts) {
            Verdict listed = moderator.checkLists(text);
            if (listed.flagged()) {
                return listed;
            }
        }
        return moderator.check(String.join("\n", texts));
    }

    private static String quote(String prompt) {
        return "\"" + (prompt.length() > 200 ? prompt.substring(0, 200) + "..." : prompt) + "\"";
    }

    private static String join(String a, String b) {
        return a.isBlank() ? b : a + "; " + b;
    }

    @Override
    public void close() {
        inner.close();
    }
}
