package tv.latent.backend.gradio;

/** A credential that never shows itself in toString, logs or messages. */
final class Secret {
    private final String value;

    Secret(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be blank");
        }
        this.value = value;
    }

    String reveal() {
        return value;
    }

    /** Replaces every occurrence of the secret in text a server sent back (it may echo headers). */
    String scrub(String text) {
        return text == null ? null : text.replace(value, "***");
    }

    @Override
    public String toString() {
        return "***";
    }
}
