package tv.latent.backend.a1111;

/** Where the extension takes the audio of the video from ({@code add_soundtrack}). */
public enum Soundtrack {
    NONE("None"),
    /** Audio from {@code soundtrack_path}, a path or URL the server can read. */
    FILE("File"),
    /** Audio of the vid2vid input video. */
    INIT_VIDEO("Init Video");

    private final String wireName;

    Soundtrack(String wireName) {
        this.wireName = wireName;
    }

    /** The value the extension expects in the {@code add_soundtrack} query parameter. */
    public String wireName() {
        return wireName;
    }
}
