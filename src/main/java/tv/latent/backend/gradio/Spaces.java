package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.http.Deadline;
import tv.latent.backend.http.HttpAnswer;

/** Finds a Space's host on the hub and waits until the Space runs. */
final class Spaces {
    private static final Logger log = LoggerFactory.getLogger(Spaces.class);
    private static final Pattern SPACE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Set<String> READY = Set.of("RUNNING", "RUNNING_BUILDING");
    private static final Set<String> WAKING = Set.of("SLEEPING", "STOPPED", "BUILDING", "APP_STARTING");
    private static final Set<String> BROKEN =
            Set.of("RUNTIME_ERROR", "BUILD_ERROR", "CONFIG_ERROR", "NO_APP_FILE", "DELETING");

    private Spaces() {}

    static boolean isSpaceId(String value) {
        return SPACE_ID.matcher(value).matches();
    }

    static URI resolve(
            GradioHttp http,
            URI hub,
            String spaceId,
            Duration pollInterval,
            Duration wakeTimeout,
            Duration requestTimeout)
            throws GradioException, InterruptedException {
        String base = hub.toString().replaceAll("/+$", "") + "/api/spaces/" + spaceId;
        URI hostUri = URI.create(base + "/host");
        String hostLabel = "GET " + hostUri;
        JsonNode answer = hubJson(http, hostUri, spaceId, Deadline.after(requestTimeout), hostLabel);
        String host = answer.path("host").asText("");
        URI root;
        try {
            root = URI.create(host.replaceAll("/+$", ""));
            http.requireHttp(root, hostLabel);
        } catch (IllegalArgumentException e) {
            throw new GradioTransportException(
                    hostLabel, "the hub gave no usable host: " + http.brief(answer.toString()), false, e);
        }
        waitUntilRunning(http, URI.create(base), root, spaceId, pollInterval, wakeTimeout, requestTimeout);
        return root;
    }

    private static void waitUntilRunning(
            GradioHttp http,
            URI stateUri,
            URI root,
            String spaceId,
            Duration pollInterval,
            Duration wakeTimeout,
            Duration requestTimeout)
            throws GradioException, InterruptedException {
        String label = "GET " + stateUri;
        Deadline wake = Deadline.after(wakeTimeout);
        boolean nudged = false;
        String lastStage = null;
        while (true) {
            JsonNode state = hubJson(http, stateUri, spaceId, Deadline.after(requestTimeout), label);
            String stage = state.path("runtime").path("stage").asText("UNKNOWN");
            if (READY.contains(stage)) {
                return;
            }
            if (stage.equals("PAUSED")) {
                throw new GradioSpaceException(
                        label,
                        stage,
                        "Space " + spaceId + " is paused by its owner and will not wake by itself",
                        false);
            }
            if (BROKEN.contains(stage)) {
                throw new GradioSpaceException(label, stage, "Space " + spaceId + " cannot run: stage " + stage, false);
            }
            if (!nudged && WAKING.contains(stage)) {
                // A sleeping Space wakes when someone visits it, not when the hub API is asked about it.
                http.fireAndForget(root);
                nudged = true;
            }
            if (wake.expired()) {
                throw new GradioSpaceException(
                        label, stage, "Space " + spaceId + " is still " + stage + " after " + wakeTimeout, true);
            }
            if (!stage.equals(lastStage)) {
                log.info("Space {} is {}, waiting up to {}", spaceId, stage, wakeTimeout);
                lastStage = stage;
            }
            Thread.sleep(Math.max(1, Math.min(pollInterval.toMillis(), wake.remainingNanos() / 1_000_000)));
        }
    }

    private static JsonNode hubJson(GradioHttp http, URI uri, String spaceId, Deadline deadline, String label)
            throws GradioException {
        HttpAnswer response = http.send("GET", uri, null, null, deadline, label);
        if (response.status() == 404) {
            throw new GradioSpaceException(label, null, "Space " + spaceId + " not found", false);
        }
        if (response.status() == 401 || response.status() == 403) {
            throw new GradioAuthException(
                    label,
                    "the hub refused access to Space " + spaceId + " (HTTP " + response.status()
                            + "): it is private or missing, or the token lacks access");
        }
        return http.json(response, label);
    }
}
