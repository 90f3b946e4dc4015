package tv.latent.backend.fal;

/**
 * A request queued on fal: its id and where it lives, as a path under the client's own base (the
 * path of the {@code response_url} fal answered, which drops the app's subpath). Only the path is
 * kept: every later call goes to the client's own host, so the key never follows a URL a server
 * names.
 *
 * @param requestId fal's request id
 * @param path e.g. {@code /fal-ai/ltx-video/requests/764cabcf-...}
 * @param queuePosition position when queued, or -1 when the answer gave none
 */
public record FalRequest(String requestId, String path, int queuePosition) {}
