package tv.latent.generate.procedural;

import java.util.List;
import java.util.Set;
import tv.latent.generate.internal.CueWords;

/**
 * What the procedural renderer reads in a prompt: light, places, subjects, motion, camera and
 * film look. The cue words for each are in {@link SceneCues} and {@link SubjectCues}. The seed
 * is not involved here; {@link ScenePainter} uses it for everything the words leave open.
 * Immutable.
 */
record Scene(
        Light light,
        Set<Place> places,
        List<Subject> subjects,
        Motion motion,
        Camera camera,
        Set<Look> looks,
        Set<Effect> effects,
        List<Rgb> freeColours,
        double horizon,
        double subjectScale) {

    enum Light {
        DAY,
        GOLDEN,
        DAWN,
        NIGHT,
        NEON,
        OVERCAST,
        UNDERWATER,
        SPACE,
        INDOOR
    }

    enum Place {
        MOUNTAINS,
        CITY,
        OCEAN,
        RIVER,
        FOREST,
        DESERT,
        SPACE,
        UNDERWATER,
        ROOM,
        FIELD,
        CANDY,
        SNOW
    }

    enum Camera {
        DRIFT,
        STATIC,
        PAN_LEFT,
        PAN_RIGHT,
        FOLLOW,
        ZOOM_IN,
        ZOOM_OUT,
        DOLLY_IN,
        DOLLY_OUT,
        ORBIT,
        TILT_UP,
        TILT_DOWN,
        AERIAL,
        HANDHELD
    }

    enum Look {
        GRAIN,
        VINTAGE,
        SHALLOW_FOCUS,
        HIGH_CONTRAST,
        MONOCHROME,
        LETTERBOX,
        MIST,
        VIVID,
        FRONT_VIEW
    }

    enum Effect {
        RAYS,
        RAIN,
        SNOWFALL,
        FIRE,
        SPLASH,
        BUBBLES,
        SPARKLES,
        SCREEN,
        LAMP
    }

    enum Kind {
        QUADRUPED,
        FISH,
        BIRD,
        INSECT,
        FLOWER,
        FIGURE,
        VEHICLE,
        BOAT,
        ROUND
    }

    /** One kind of subject, {@code count} of them, with a main and a second colour. */
    record Subject(String noun, Kind kind, Rgb colour, Rgb second, int count, boolean face) {}

    /**
     * @param speed 1 is walking pace; about 2 for running or racing, 0.45 for drifting
     * @param dirX -1 left, 1 right, 0 unspecified
     * @param dirY -1 up, 1 down (falling), 0 none
     * @param approach 1 towards the camera, -1 away, 0 neither
     * @param moving whether a verb says the subjects move at all
     */
    record Motion(double speed, int dirX, int dirY, int approach, boolean moving) {}

    /** Reads a prompt (and its negative prompt, whose words cancel cues). */
    static Scene read(String prompt, String negativePrompt) {
        CueWords w = CueWords.of(prompt, negativePrompt);
        Set<Place> places = SceneCues.places(w);
        Set<Look> looks = SceneCues.looks(w);
        if (SceneCues.facesTheCamera(w)) {
            looks.add(Look.FRONT_VIEW);
        }
        return new Scene(
                SceneCues.light(w, places),
                places,
                SubjectCues.subjects(w),
                SceneCues.motion(w),
                SceneCues.camera(w),
                looks,
                SceneCues.effects(w, places),
                SubjectCues.freeColours(w),
                SceneCues.horizon(w),
                SceneCues.subjectScale(w));
    }
}
