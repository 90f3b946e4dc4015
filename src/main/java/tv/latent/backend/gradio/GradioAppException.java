package tv.latent.backend.gradio;

/**
 * The app itself failed: {@code process_completed} with success false, an {@code error}
 * event, or {@code unexpected_error}. Carries the server's message when it sent one. Not retryable.
 */
public final class GradioAppException extends GradioException {

    private final String serverMessage;

    GradioAppException(String endpoint, String serverMessage, String title) {
        super(endpoint, describe(serverMessage, title), false, null);
        this.serverMessage = serverMessage;
    }

    private static String describe(String serverMessage, String title) {
        String what = title == null || title.isBlank() ? "the app failed" : "the app failed (" + title + ")";
        return serverMessage == null || serverMessage.isBlank()
                ? what + " without details (the app may hide errors: show_error=False)"
                : what + ": " + serverMessage;
    }

    /** The error text the server sent, or null when it sent none. */
    public String serverMessage() {
        return serverMessage;
    }
}
