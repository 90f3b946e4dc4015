package tv.latent.generate.procedural;

import java.util.EnumSet;
import java.util.Set;
import tv.latent.generate.internal.CueWords;
import tv.latent.generate.procedural.Scene.Camera;
import tv.latent.generate.procedural.Scene.Effect;
import tv.latent.generate.procedural.Scene.Light;
import tv.latent.generate.procedural.Scene.Look;
import tv.latent.generate.procedural.Scene.Motion;
import tv.latent.generate.procedural.Scene.Place;

/**
 * The words that set the stage of a {@link Scene}: places, light, camera move, film looks,
 * effects, motion and framing. Where one value is chosen (light, camera) the first matching
 * rule wins; sets collect every match. Stateless.
 */
final class SceneCues {
    private SceneCues() {}

    static Set<Place> places(CueWords w) {
        Set<Place> p = EnumSet.noneOf(Place.class);
        if (w.has(
                "underwater",
                "under water",
                "reef",
                "coral*",
                "deep sea",
                "ocean floor",
                "seabed",
                "aquarium",
                "scuba",
                "submarine")) {
            p.add(Place.UNDERWATER);
        }
        if (w.has("space", "galaxy", "cosmos", "cosmic", "nebula", "planet*", "asteroid*", "spaceship", "starship")) {
            p.add(Place.SPACE);
        }
        if (w.has(
                "room",
                "office",
                "kitchen",
                "bedroom",
                "indoor*",
                "inside",
                "desk",
                "cafe",
                "library",
                "interior",
                "workshop")) {
            p.add(Place.ROOM);
        }
        if (w.has("mountain*", "peak*", "alps", "cliff*", "canyon", "volcano*", "himalaya*")) {
            p.add(Place.MOUNTAINS);
        }
        if (w.has(
                "city",
                "cities",
                "street*",
                "town*",
                "urban",
                "downtown",
                "skyline",
                "building*",
                "skyscraper*",
                "houses",
                "village",
                "cyberpunk",
                "metropolis",
                "road",
                "avenue",
                "alley")) {
            p.add(Place.CITY);
        }
        if (w.has(
                "ocean", "sea", "coast*", "beach*", "waves", "shore*", "surf*", "bay", "harbor", "harbour", "island*",
                "seaside")) {
            p.add(Place.OCEAN);
        }
        if (w.has("river*", "lake*", "stream", "creek", "pond", "rapids", "waterfall")) {
            p.add(Place.RIVER);
        }
        if (w.has("forest*", "woods", "tree", "trees", "jungle", "woodland", "rainforest", "pine*")) {
            p.add(Place.FOREST);
        }
        if (w.has("desert*", "dune*", "sand", "sandy", "canyon", "savanna*", "mars")) {
            p.add(Place.DESERT);
        }
        if (w.has("candy", "cotton candy", "chocolate", "gingerbread", "sweets", "lollipop*", "dessert*")) {
            p.add(Place.CANDY);
        }
        if (w.has("snow*", "winter", "arctic", "ice", "glacier*", "frozen", "antarctic*")) {
            p.add(Place.SNOW);
        }
        if (w.has("field*", "meadow*", "grass*", "farm*", "hill*", "valley", "garden*", "countryside", "prairie")) {
            p.add(Place.FIELD);
        }
        return p;
    }

    static Light light(CueWords w, Set<Place> places) {
        if (places.contains(Place.UNDERWATER)) {
            return Light.UNDERWATER;
        }
        if (places.contains(Place.SPACE)) {
            return Light.SPACE;
        }
        if (w.has("neon", "cyberpunk", "synthwave", "vaporwave")) {
            return Light.NEON;
        }
        if (w.has("night*", "midnight", "moonlit", "moonlight", "starry", "nocturnal", "dark sky")) {
            return Light.NIGHT;
        }
        if (w.has("golden hour", "sunset", "dusk", "evening", "twilight", "golden light", "magic hour", "warm light")) {
            return Light.GOLDEN;
        }
        if (w.has("sunrise", "dawn", "morning", "daybreak")) {
            return Light.DAWN;
        }
        if (places.contains(Place.ROOM) && !w.has("bright", "sunny", "daylight")) {
            return Light.INDOOR;
        }
        if (w.has(
                "overcast",
                "cloudy",
                "gloomy",
                "storm*",
                "rain",
                "rainy",
                "raining",
                "fog*",
                "mist*",
                "grey sky",
                "gray sky")) {
            return Light.OVERCAST;
        }
        return Light.DAY;
    }

    static Camera camera(CueWords w) {
        if (w.has(
                "aerial",
                "drone",
                "birds eye",
                "top down",
                "overhead",
                "flight over",
                "flying over",
                "from above",
                "satellite")) {
            return Camera.AERIAL;
        }
        if (w.has(
                "pan left",
                "pans left",
                "panning left",
                "pan to the left",
                "pans to the left",
                "panning to the left",
                "camera moves left",
                "truck left")) {
            return Camera.PAN_LEFT;
        }
        if (w.has(
                "pan right",
                "pans right",
                "panning right",
                "pan to the right",
                "pans to the right",
                "panning to the right",
                "camera moves right",
                "truck right")) {
            return Camera.PAN_RIGHT;
        }
        if (w.has("follow*", "tracking shot", "tracking", "pan", "pans", "panning")) {
            return Camera.FOLLOW;
        }
        if (w.has("zoom* out", "pull* back", "pull* out")) {
            return Camera.ZOOM_OUT;
        }
        if (w.has("zoom*", "push* in")) {
            return Camera.ZOOM_IN;
        }
        if (w.has("dolly out", "dolly back")) {
            return Camera.DOLLY_OUT;
        }
        if (w.has("dolly*", "moving forward", "fly through", "flythrough")) {
            return Camera.DOLLY_IN;
        }
        if (w.has("orbit*", "rotating", "circling", "revolving", "360", "turntable", "camera rotat*")) {
            return Camera.ORBIT;
        }
        if (w.has("tilt* down")) {
            return Camera.TILT_DOWN;
        }
        if (w.has("tilt*", "crane up", "pedestal up")) {
            return Camera.TILT_UP;
        }
        if (w.has("handheld", "shaky", "hand held")) {
            return Camera.HANDHELD;
        }
        if (w.has("static", "still camera", "locked off", "tripod", "fixed camera", "static shot", "still shot")) {
            return Camera.STATIC;
        }
        return Camera.DRIFT;
    }

    static Set<Look> looks(CueWords w) {
        Set<Look> l = EnumSet.noneOf(Look.class);
        if (w.has("grain*", "16mm", "35mm", "8mm", "super 8", "analog", "analogue", "celluloid", "kodak*")) {
            l.add(Look.GRAIN);
        }
        if (w.has("vintage", "retro", "sepia", "old film", "antique", "nostalgic", "vhs", "19*")) {
            l.add(Look.VINTAGE);
        }
        if (w.has(
                "shallow depth",
                "depth of field",
                "bokeh",
                "macro",
                "close up",
                "closeup",
                "blurred background",
                "dof")) {
            l.add(Look.SHALLOW_FOCUS);
        }
        if (w.has("high contrast", "contrast*", "dramatic", "noir", "chiaroscuro")) {
            l.add(Look.HIGH_CONTRAST);
        }
        if (w.has("black and white", "monochrome", "noir", "grayscale", "greyscale", "b&w")) {
            l.add(Look.MONOCHROME);
        }
        if (w.has("cinematic", "widescreen", "anamorphic", "letterbox*")) {
            l.add(Look.LETTERBOX);
        }
        if (w.has("mist*", "fog*", "haze", "hazy", "smok*")) {
            l.add(Look.MIST);
        }
        if (w.has(
                "pixar",
                "3d animation",
                "animated",
                "cartoon",
                "ghibli",
                "anime",
                "vivid",
                "rich colo*",
                "colorful",
                "colourful",
                "vibrant")) {
            l.add(Look.VIVID);
        }
        return l;
    }

    static Set<Effect> effects(CueWords w, Set<Place> places) {
        Set<Effect> e = EnumSet.noneOf(Effect.class);
        if (w.has("rays", "sun rays", "sunrays", "sunbeam*", "god rays", "light beams", "rays of light")) {
            e.add(Effect.RAYS);
        }
        if (w.has("rain", "raining", "rainy", "rainfall", "downpour", "storm*", "drizzle")) {
            e.add(Effect.RAIN);
        }
        if (w.has("snow", "snowing", "snowfall", "snowflake*", "blizzard")) {
            e.add(Effect.SNOWFALL);
        }
        if (w.has("fire", "fires", "flame*", "burning", "blaze", "campfire", "lava", "ember*", "inferno")) {
            e.add(Effect.FIRE);
        }
        if (w.has("splash*", "spray*", "spraying", "waterfall", "rushing", "rapids")) {
            e.add(Effect.SPLASH);
        }
        if (w.has("bubble*") || places.contains(Place.UNDERWATER)) {
            e.add(Effect.BUBBLES);
        }
        if (w.has("firefl*", "sparkl*", "magic*", "glitter*", "fairy", "glowing")) {
            e.add(Effect.SPARKLES);
        }
        if (w.has(
                "screen*", "code", "computer", "monitor", "laptop", "programmer", "programming", "coding", "hacker")) {
            e.add(Effect.SCREEN);
        }
        if (w.has("lamp", "candle*", "cosy", "cozy", "dim", "ambient light", "lantern*")) {
            e.add(Effect.LAMP);
        }
        return e;
    }

    /** Where the horizon sits, as a fraction of the height from the top. */
    static double horizon(CueWords w) {
        return w.has("low angle", "worms eye", "looking up") ? 0.78 : w.has("high angle", "looking down") ? 0.42 : 0.62;
    }

    /** How big the subjects are against the default framing. */
    static double subjectScale(CueWords w) {
        return w.has("close up", "closeup", "macro", "portrait", "extreme close")
                ? 2.3
                : w.has("wide angle", "wide shot", "establishing", "landscape", "panorama*", "epic composition")
                        ? 0.7
                        : 1.0;
    }

    /** Whether the subject is seen from the front, looking into the lens. */
    static boolean facesTheCamera(CueWords w) {
        return w.has(
                "close up", "closeup", "staring into", "looking at the camera", "into the camera", "facing the camera");
    }

    static Motion motion(CueWords w) {
        double speed = 1;
        if (w.has(
                "fast",
                "running",
                "runs",
                "run",
                "rac*",
                "rushing",
                "rush",
                "speed*",
                "chas*",
                "gallop*",
                "sprint*",
                "quick*",
                "rapid*",
                "dash*",
                "roaring",
                "chaotic",
                "hurr*",
                "fleeing",
                "charging")) {
            speed = 2.2;
        } else if (w.has(
                "slow*",
                "drift*",
                "calm",
                "gentle",
                "gently",
                "float*",
                "lazy",
                "lazily",
                "peaceful",
                "serene",
                "glid*",
                "meander*",
                "still",
                "idle",
                "resting",
                "sleeping")) {
            speed = 0.45;
        }
        boolean moving = w.has(
                "run*",
                "walk*",
                "swim*",
                "fly",
                "flying",
                "flies",
                "rac*",
                "rush*",
                "chas*",
                "gallop*",
                "sail*",
                "driv*",
                "moving",
                "move*",
                "buzz*",
                "jump*",
                "danc*",
                "fall*",
                "drift*",
                "float*",
                "glid*",
                "wander*",
                "stroll*",
                "march*",
                "speed*",
                "sprint*",
                "crawl*",
                "climb*",
                "hop*",
                "trot*",
                "roam*",
                "travel*",
                "catching",
                "leaping",
                "soar*");
        int dirX = 0;
        if (w.has(
                "to the left",
                "leftward*",
                "right to left",
                "moving left",
                "runs left",
                "walks left",
                "heading left",
                "going left")) {
            dirX = -1;
        } else if (w.has(
                "to the right",
                "rightward*",
                "left to right",
                "moving right",
                "runs right",
                "walks right",
                "heading right",
                "going right")) {
            dirX = 1;
        }
        int dirY = w.has("fall*", "dropping", "sinking", "diving", "plunging")
                ? 1
                : w.has(
                                "rising",
                                "ascend*",
                                "climbing",
                                "jump*",
                                "launch*",
                                "taking off",
                                "takes off",
                                "lift* off",
                                "soar*")
                        ? -1
                        : 0;
        int approach = w.has(
                        "towards the camera",
                        "toward the camera",
                        "towards camera",
                        "toward camera",
                        "approaching",
                        "coming closer",
                        "coming towards",
                        "coming toward",
                        "charging at")
                ? 1
                : w.has(
                                "away from the camera",
                                "away from camera",
                                "receding",
                                "into the distance",
                                "walking away",
                                "running away")
                        ? -1
                        : 0;
        return new Motion(speed, dirX, dirY, approach, moving || dirX != 0 || dirY != 0 || approach != 0);
    }
}
