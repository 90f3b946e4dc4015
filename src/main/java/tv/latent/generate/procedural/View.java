package tv.latent.generate.procedural;

import tv.latent.generate.procedural.Scene.Camera;

/**
 * The camera at the frame being painted, and the mapping between world and screen.
 *
 * <p>World units are screen heights: x runs 0..width/height, y runs 0 (top) ..1 (bottom). A
 * layer at depth d moves 1/d as much as the subject plane when the camera moves (parallax), and
 * a dolly enlarges near layers more than far ones.
 *
 * <p>Not thread-safe: one view per painter, moved once per frame.
 */
final class View {
    final float aspect;
    private final int h;
    private final double horizon;
    private final Camera camera;
    private final double cameraSpeed;
    private final double driftX;
    private final ValueNoise noise;

    /** Seconds since the clip's first frame. */
    double sec;

    double camX;
    double camY;
    double zoom;
    double dolly;
    double orbit;

    View(Scene scene, float aspect, int height, double cameraSpeed, double driftX, ValueNoise noise) {
        this.aspect = aspect;
        this.h = height;
        this.horizon = scene.horizon();
        this.camera = scene.camera();
        this.cameraSpeed = cameraSpeed;
        this.driftX = driftX;
        this.noise = noise;
    }

    /** Places the camera for the frame at {@code seconds}; a following camera keeps up with the cast's lead. */
    void moveTo(double seconds, Cast cast) {
        sec = seconds;
        double s = cameraSpeed * sec;
        camX = 0;
        camY = 0;
        zoom = 1;
        dolly = 0;
        orbit = 0;
        switch (camera) {
            case PAN_LEFT -> camX = -0.09 * s;
            case PAN_RIGHT -> camX = 0.09 * s;
            case FOLLOW -> camX = cast.isEmpty() ? 0.07 * s : cast.travel(cast.lead(), sec);
            case ZOOM_IN -> zoom = 1 + 0.13 * s;
            case ZOOM_OUT -> zoom = 1.45 - 0.13 * s;
            case DOLLY_IN -> dolly = 0.3 * s;
            case DOLLY_OUT -> dolly = 0.9 - 0.3 * s;
            case ORBIT -> orbit = 0.12 * s;
            case TILT_UP -> camY = -0.06 * s;
            case TILT_DOWN -> camY = 0.06 * s;
            case HANDHELD -> {
                camX = (noise.at(sec * 2.1 + 3) - 0.5) * 0.03;
                camY = (noise.at(sec * 2.7 + 17) - 0.5) * 0.025;
            }
            case DRIFT -> {
                camX = driftX * 0.02 * sec;
                zoom = 1 + 0.015 * sec;
            }
            default -> {}
        }
    }

    double zoomAt(double depth) {
        return zoom * (1 + dolly / depth);
    }

    /** Screen x (pixels) of world x at a depth. */
    double screenX(double wx, double depth) {
        double z = zoomAt(depth);
        return ((wx - aspect / 2 - camX / depth - orbit * (1 - 1 / depth)) * z + aspect / 2) * h;
    }

    /** Screen y (pixels) of world y at a depth. */
    double screenY(double wy, double depth) {
        return ((wy - 0.5 - camY / depth) * zoomAt(depth) + 0.5) * h;
    }

    /** World x of pixel column {@code px} at a depth. */
    double worldX(int px, double depth) {
        double z = zoomAt(depth);
        return ((double) px / h - aspect / 2) / z + aspect / 2 + camX / depth + orbit * (1 - 1 / depth);
    }

    /** Screen y of the horizon, which sits at the depth of the far backdrop. */
    double horizonScreen() {
        return screenY(horizon, 4);
    }
}
