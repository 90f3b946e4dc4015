package tv.latent.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tv.latent.audit.Audit;
import tv.latent.auth.Auth;

/**
 * What an operator may do through the console at {@code /admin}, as the station does it: change
 * channels live, retry and cancel jobs, keep, take off air, approve and delete clips. The
 * composition root implements it; every change is written to the {@link #audit() audit log} with
 * the operator's name there, so the web only says who asks.
 *
 * <p>A refused change throws {@link IllegalArgumentException} with a message fit for the operator.
 * Implementations must be thread-safe: every method runs on request threads.
 */
public interface Console {
    /** Who may log in; the web checks sessions and tokens with it. */
    Auth auth();

    /** The audit log (the web records logins, logouts and tokens there). */
    Audit audit();

    /** Where a channel is declared. */
    enum Origin {
        /** The YAML file: shown read only (edit the file and restart). */
        YAML,
        /** Made in the console and stored in the database: edited live. */
        CONSOLE
    }

    /**
     * A channel as the console lists it.
     *
     * @param policy its review policy ({@code auto}, {@code review-prompts}, {@code review-clips})
     * @param paused an operator paused its generation (reruns air on)
     */
    record Channel(String id, String title, String theme, Origin origin, String policy, boolean paused) {}

    /** Every channel on air, in order: the YAML's, then the console's. */
    List<Channel> channels();

    /**
     * A channel's settings in the structure of a channel of the YAML file (keys {@code id},
     * {@code title}, {@code theme}, {@code style}, {@code format}, {@code stages}, {@code push}...),
     * with its defaults filled in; empty when there is no such channel.
     */
    Optional<Map<String, Object>> settings(String channelId);

    /** The backend names each stage may use (declared in the YAML, or built in), by stage key. */
    Map<String, List<String>> backendChoices();

    /**
     * Makes a channel from {@code settings} (the structure of a channel of the YAML file) and puts
     * it on air at once.
     *
     * @return the problems, each as {@code key: what is wrong}, the same as the YAML loader's; empty when made
     */
    List<String> create(Map<String, Object> settings, String operator) throws Exception;

    /** Changes a console channel at once (the next shots follow it); problems as in {@link #create}. */
    List<String> update(String channelId, Map<String, Object> settings, String operator) throws Exception;

    /** Takes a console channel off air and forgets its settings; its clips stay in the library. */
    void delete(String channelId, String operator) throws Exception;

    /** Pauses (no new generation, reruns air on) or resumes a channel. */
    void pause(String channelId, boolean paused, String operator) throws Exception;

    /** Sends a failed job back to the stage it failed at; false when it is not failed. */
    boolean retry(String jobId, String operator) throws Exception;

    /** Fails a job not yet mastered with "cancelled by {operator}"; false when it is finished. */
    boolean cancel(String jobId, String operator) throws Exception;

    /** Marks a clip to be kept forever (retention never deletes it), or not. */
    void keep(String clipId, boolean keep, String operator) throws Exception;

    /** Takes a clip off air at once, and out of reruns; false when its channel does not air it. */
    boolean takeOffAir(String clipId, String reason, String operator) throws Exception;

    /** Lets a clip held for review air; false when it is not held. */
    boolean approve(String clipId, String operator) throws Exception;

    /**
     * Deletes a clip, its files and its rows, in retention's crash-safe order (taking it off air
     * first).
     *
     * @return what happened, for the operator
     */
    String deleteClip(String clipId, String operator) throws Exception;

    /**
     * A backend as the console shows it.
     *
     * @param circuits each endpoint's breaker: closed, half-open or open (endpoints by index, no URL)
     * @param errors its latest errors, newest first (the web redacts them)
     */
    record Backend(
            String name,
            String stage,
            List<String> circuits,
            long callsLastHour,
            long failuresLastHour,
            List<String> errors) {}

    /** Every backend the station made, with its health. */
    List<Backend> backends();
}
