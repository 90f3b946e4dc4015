package tv.latent.backend.comfyui;

/**
 * A file uploaded with {@code /upload/image}, as ComfyUI named it (it renames on a clash).
 *
 * @param name file name on the server
 * @param subfolder folder under the input directory, empty for none
 * @param type the directory type, normally {@code input}
 */
public record UploadedFile(String name, String subfolder, String type) {

    /** The value a loader node (LoadImage, VHS_LoadVideo) takes: {@code subfolder/name}. */
    public String workflowValue() {
        return subfolder.isEmpty() ? name : subfolder + "/" + name;
    }
}
