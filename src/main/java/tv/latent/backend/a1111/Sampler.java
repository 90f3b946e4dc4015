package tv.latent.backend.a1111;

/** Samplers that sd-webui-text2video offers for ModelScope models. */
public enum Sampler {
    DDIM_GAUSSIAN("DDIM_Gaussian"),
    DDIM("DDIM"),
    UNI_PC("UniPC");

    private final String wireName;

    Sampler(String wireName) {
        this.wireName = wireName;
    }

    /** The name the extension expects in the {@code sampler} query parameter. */
    public String wireName() {
        return wireName;
    }
}
