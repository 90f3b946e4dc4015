package tv.latent.generate.procedural;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import tv.latent.generate.internal.CueWords;
import tv.latent.generate.internal.EngineRandom;

/**
 * What the procedural renderer reads in a prompt: light, places, subjects, motion, camera and
 * film look. The seed is not involved here; {@link ScenePainter} uses it for everything the
 * words leave open. Immutable.
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

    /** A colour, each channel 0..1. */
    record Rgb(float r, float g, float b) {
        static Rgb hex(int v) {
            return new Rgb(((v >> 16) & 255) / 255f, ((v >> 8) & 255) / 255f, (v & 255) / 255f);
        }

        Rgb mix(Rgb o, double t) {
            float k = (float) t;
            return new Rgb(r + (o.r - r) * k, g + (o.g - g) * k, b + (o.b - b) * k);
        }

        Rgb times(double k) {
            return new Rgb((float) (r * k), (float) (g * k), (float) (b * k));
        }

        Rgb jitter(EngineRandom rng, double amount) {
            return new Rgb(
                    clamp(r + (float) rng.range(-amount, amount)),
                    clamp(g + (float) rng.range(-amount, amount)),
                    clamp(b + (float) rng.range(-amount, amount)));
        }

        private static float clamp(float v) {
            return v < 0 ? 0 : v > 1 ? 1 : v;
        }
    }

    /** Reads a prompt (and its negative prompt, whose words cancel cues). */
    static Scene read(String prompt, String negativePrompt) {
        CueWords w = CueWords.of(prompt, negativePrompt);
        Set<Place> places = places(w);
        Light light = light(w, places);
        Camera camera = camera(w);
        Set<Look> looks = looks(w);
        Set<Effect> effects = effects(w, places);
        List<Subject> subjects = subjects(w);
        Motion motion = motion(w);
        List<Rgb> free = freeColours(w);
        double horizon = w.has("low angle", "worms eye", "looking up")
                ? 0.78
                : w.has("high angle", "looking down") ? 0.42 : 0.62;
        double scale = w.has("close up", "closeup", "macro", "portrait", "extreme close")
                ? 2.3
                : w.has("wide angle", "wide shot", "establishing", "landscape", "panorama*", "epic composition")
                        ? 0.7
                        : 1.0;
        if (w.has(
                "close up",
                "closeup",
                "staring into",
                "looking at the camera",
                "into the camera",
                "facing the camera")) {
            looks.add(Look.FRONT_VIEW);
        }
        return new Scene(light, places, subjects, motion, camera, looks, effects, free, horizon, scale);
    }

    private static Set<Place> places(CueWords w) {
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

    private static Light light(CueWords w, Set<Place> places) {
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

    private static Camera camera(CueWords w) {
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

    private static Set<Look> looks(CueWords w) {
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

    private static Set<Effect> effects(CueWords w, Set<Place> places) {
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

    private record Noun(String word, Kind kind, int colour, int second, int count, boolean face) {}

    private static final List<Noun> NOUNS = List.of(
            new Noun("fox", Kind.QUADRUPED, 0xD9601A, 0xF2E8DC, 1, true),
            new Noun("foxes", Kind.QUADRUPED, 0xD9601A, 0xF2E8DC, 3, true),
            new Noun("bear", Kind.QUADRUPED, 0x6B4226, 0x3A2414, 1, true),
            new Noun("bears", Kind.QUADRUPED, 0x6B4226, 0x3A2414, 2, true),
            new Noun("panda", Kind.QUADRUPED, 0xF2F2EE, 0x1C1C1C, 1, true),
            new Noun("cat", Kind.QUADRUPED, 0x8A8A8A, 0x505050, 1, true),
            new Noun("kitten", Kind.QUADRUPED, 0xC8A070, 0xF2E8DC, 1, true),
            new Noun("cats", Kind.QUADRUPED, 0x8A8A8A, 0x505050, 3, true),
            new Noun("dog", Kind.QUADRUPED, 0xB8834A, 0x5A3A1A, 1, true),
            new Noun("puppy", Kind.QUADRUPED, 0xD4A86A, 0x5A3A1A, 1, true),
            new Noun("dogs", Kind.QUADRUPED, 0xB8834A, 0x5A3A1A, 3, true),
            new Noun("llama", Kind.QUADRUPED, 0xE8DCC0, 0x8A7A60, 1, true),
            new Noun("alpaca", Kind.QUADRUPED, 0xF0E8D8, 0x8A7A60, 1, true),
            new Noun("horse", Kind.QUADRUPED, 0x7A4A26, 0x2A1A10, 1, true),
            new Noun("horses", Kind.QUADRUPED, 0x7A4A26, 0x2A1A10, 3, true),
            new Noun("deer", Kind.QUADRUPED, 0xA0703A, 0xF2E8DC, 1, true),
            new Noun("wolf", Kind.QUADRUPED, 0x7C7C84, 0xD8D8D8, 1, true),
            new Noun("lion", Kind.QUADRUPED, 0xC8923A, 0x7A4A1A, 1, true),
            new Noun("tiger", Kind.QUADRUPED, 0xE07A20, 0x1C1C1C, 1, true),
            new Noun("elephant", Kind.QUADRUPED, 0x8C8C90, 0x5C5C60, 1, true),
            new Noun("rabbit", Kind.QUADRUPED, 0xC8C0B4, 0xF4F0EA, 1, true),
            new Noun("bunny", Kind.QUADRUPED, 0xE8E0D4, 0xF8C8D0, 1, true),
            new Noun("cow", Kind.QUADRUPED, 0xF2F2F2, 0x202020, 1, true),
            new Noun("sheep", Kind.QUADRUPED, 0xF4F0E6, 0x2A2A2A, 3, true),
            new Noun("dragon", Kind.QUADRUPED, 0x2E8B57, 0xC8A030, 1, true),
            new Noun("dinosaur", Kind.QUADRUPED, 0x5A8A3A, 0x3A5A2A, 1, true),
            new Noun("salmon", Kind.FISH, 0xE8806A, 0xB0B8C0, 1, true),
            new Noun("fish", Kind.FISH, 0xF09030, 0xF8F0E0, 4, true),
            new Noun("shark", Kind.FISH, 0x6A7A88, 0xE8ECEE, 1, true),
            new Noun("whale", Kind.FISH, 0x3A4A6A, 0xC8D0D8, 1, true),
            new Noun("dolphin*", Kind.FISH, 0x8898A8, 0xE0E8EE, 2, true),
            new Noun("jellyfish", Kind.FISH, 0xE8A0E0, 0xF8E0F8, 3, false),
            new Noun("bird", Kind.BIRD, 0x303848, 0xE8E0D0, 1, false),
            new Noun("birds", Kind.BIRD, 0x303848, 0xE8E0D0, 5, false),
            new Noun("eagle", Kind.BIRD, 0x5A3A20, 0xF0F0F0, 1, false),
            new Noun("seagull*", Kind.BIRD, 0xF0F0F0, 0x707880, 4, false),
            new Noun("gull*", Kind.BIRD, 0xF0F0F0, 0x707880, 4, false),
            new Noun("owl", Kind.BIRD, 0x8A6A4A, 0xE8D8B8, 1, false),
            new Noun("parrot", Kind.BIRD, 0x2AA84A, 0xE83020, 1, false),
            new Noun("bee", Kind.INSECT, 0xF2C230, 0x202020, 1, false),
            new Noun("bees", Kind.INSECT, 0xF2C230, 0x202020, 6, false),
            new Noun("butterfl*", Kind.INSECT, 0x4A8AF0, 0x202020, 3, false),
            new Noun("dragonfl*", Kind.INSECT, 0x30C8B0, 0x202020, 2, false),
            new Noun("flower", Kind.FLOWER, 0xF05A8A, 0xF8D030, 1, false),
            new Noun("flowers", Kind.FLOWER, 0xF05A8A, 0xF8D030, 5, false),
            new Noun("rose*", Kind.FLOWER, 0xD01830, 0x6A0818, 3, false),
            new Noun("tulip*", Kind.FLOWER, 0xF04050, 0xF8D030, 5, false),
            new Noun("sunflower*", Kind.FLOWER, 0xF8C820, 0x5A3A10, 3, false),
            new Noun("blossom*", Kind.FLOWER, 0xF8C0D8, 0xF8E8A0, 5, false),
            new Noun("astronaut*", Kind.FIGURE, 0xF2F2F2, 0x2A3A5A, 1, false),
            new Noun("firefighter*", Kind.FIGURE, 0xC82A1A, 0xF0C020, 1, true),
            new Noun("robot*", Kind.FIGURE, 0xA8B0BC, 0x38C8F0, 1, true),
            new Noun("broccoli", Kind.FIGURE, 0x3C8A2A, 0x9ACD60, 1, true),
            new Noun("person", Kind.FIGURE, 0x4A6AA0, 0xE8B890, 1, true),
            new Noun("man", Kind.FIGURE, 0x3A5A8A, 0xD8A880, 1, true),
            new Noun("woman", Kind.FIGURE, 0xA03A5A, 0xE8B890, 1, true),
            new Noun("girl", Kind.FIGURE, 0xD05A7A, 0xF0C8A0, 1, true),
            new Noun("boy", Kind.FIGURE, 0x3A7AC0, 0xF0C8A0, 1, true),
            new Noun("child*", Kind.FIGURE, 0xE0A030, 0xF0C8A0, 1, true),
            new Noun("people", Kind.FIGURE, 0x5A6A8A, 0xE0B890, 3, true),
            new Noun("knight", Kind.FIGURE, 0x9CA4B0, 0xA02020, 1, false),
            new Noun("dancer*", Kind.FIGURE, 0xC02A6A, 0xF0C8A0, 1, true),
            new Noun("character*", Kind.FIGURE, 0xE07A3A, 0xF8E0A0, 2, true),
            new Noun("car", Kind.VEHICLE, 0xC0202A, 0x1A1A1A, 1, false),
            new Noun("cars", Kind.VEHICLE, 0xC0202A, 0x1A1A1A, 3, false),
            new Noun("taxi", Kind.VEHICLE, 0xF2C020, 0x1A1A1A, 1, false),
            new Noun("bus", Kind.VEHICLE, 0xE04A20, 0x1A1A1A, 1, false),
            new Noun("truck", Kind.VEHICLE, 0x3A6AA0, 0x1A1A1A, 1, false),
            new Noun("train", Kind.VEHICLE, 0x5A5A6A, 0xF2C020, 1, false),
            new Noun("rocket", Kind.VEHICLE, 0xE8E8EC, 0xD02A1A, 1, false),
            new Noun("boat", Kind.BOAT, 0x8A4A2A, 0xF4F0E6, 1, false),
            new Noun("sailboat", Kind.BOAT, 0xF4F0E6, 0x2A4A8A, 1, false),
            new Noun("ship", Kind.BOAT, 0x3A3A4A, 0xF4F0E6, 1, false),
            new Noun("boats", Kind.BOAT, 0x8A4A2A, 0xF4F0E6, 3, false),
            new Noun("pumpkin*", Kind.ROUND, 0xE07A1A, 0x3A6A1A, 1, false),
            new Noun("banana*", Kind.ROUND, 0xF4D83A, 0x6A5A1A, 1, false),
            new Noun("apple*", Kind.ROUND, 0xD0202A, 0x3A7A1A, 1, false),
            new Noun("ball", Kind.ROUND, 0xF0F0F0, 0xD02A2A, 1, false),
            new Noun("balloon*", Kind.ROUND, 0xE83A4A, 0xF0F0F0, 3, false),
            new Noun("food", Kind.ROUND, 0xF0A040, 0x8A5A2A, 3, true),
            new Noun("fruit*", Kind.ROUND, 0xE85A2A, 0x3A8A2A, 3, false),
            new Noun("cupcake*", Kind.ROUND, 0xF8A8C8, 0x8A5A3A, 2, true));

    private static final List<String> NUMBERS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven");

    private static List<Subject> subjects(CueWords w) {
        List<Subject> out = new ArrayList<>();
        List<String> words = w.words();
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int i = 0; i < words.size() && out.size() < 3; i++) {
            for (Noun n : NOUNS) {
                if (!wordMatches(words.get(i), n.word) || !w.has(n.word)) {
                    continue;
                }
                Rgb colour = Rgb.hex(n.colour);
                Rgb second = Rgb.hex(n.second);
                int count = n.count;
                for (int back = 1; back <= 3 && i - back >= 0; back++) {
                    String before = words.get(i - back);
                    Rgb named = COLOURS.get(before);
                    if (named != null && !used.contains(i - back)) {
                        // "red fox" means a fox's red: lean the named colour towards the animal's own
                        colour = named.mix(colour, 0.35);
                        used.add(i - back);
                        break;
                    }
                    int number = NUMBERS.indexOf(before);
                    if (number > 1) {
                        count = number;
                    }
                }
                if (i > 0
                                && List.of(
                                                "swarm", "flock", "school", "herd", "group", "family", "pack", "many",
                                                "several")
                                        .contains(words.get(i - 1))
                        || i > 1
                                && words.get(i - 1).equals("of")
                                && List.of("swarm", "flock", "school", "herd", "group", "pack")
                                        .contains(words.get(i - 2))) {
                    count = Math.max(count, 5);
                }
                boolean face = n.face || w.has("character*", "cute", "friendly", "smiling", "pixar", "cartoon");
                out.add(new Subject(n.word.replace("*", ""), n.kind, colour, second, Math.min(count, 7), face));
                break;
            }
        }
        return List.copyOf(out);
    }

    private static boolean wordMatches(String word, String cue) {
        return cue.endsWith("*") ? word.startsWith(cue.substring(0, cue.length() - 1)) : word.equals(cue);
    }

    private static final java.util.Map<String, Rgb> COLOURS = java.util.Map.ofEntries(
            java.util.Map.entry("red", Rgb.hex(0xD42A20)),
            java.util.Map.entry("crimson", Rgb.hex(0xB0142A)),
            java.util.Map.entry("orange", Rgb.hex(0xF07A1A)),
            java.util.Map.entry("yellow", Rgb.hex(0xF4D030)),
            java.util.Map.entry("gold", Rgb.hex(0xE0B030)),
            java.util.Map.entry("green", Rgb.hex(0x3AA040)),
            java.util.Map.entry("emerald", Rgb.hex(0x1A9A5A)),
            java.util.Map.entry("teal", Rgb.hex(0x1A9A9A)),
            java.util.Map.entry("cyan", Rgb.hex(0x30D0E8)),
            java.util.Map.entry("turquoise", Rgb.hex(0x40D0C0)),
            java.util.Map.entry("blue", Rgb.hex(0x2A5AD0)),
            java.util.Map.entry("navy", Rgb.hex(0x1A2A6A)),
            java.util.Map.entry("purple", Rgb.hex(0x7A3AC0)),
            java.util.Map.entry("violet", Rgb.hex(0x8A4AE0)),
            java.util.Map.entry("magenta", Rgb.hex(0xE030B0)),
            java.util.Map.entry("pink", Rgb.hex(0xF08AB0)),
            java.util.Map.entry("white", Rgb.hex(0xF2F2F0)),
            java.util.Map.entry("silver", Rgb.hex(0xB8C0C8)),
            java.util.Map.entry("grey", Rgb.hex(0x808488)),
            java.util.Map.entry("gray", Rgb.hex(0x808488)),
            java.util.Map.entry("black", Rgb.hex(0x1A1A1E)),
            java.util.Map.entry("brown", Rgb.hex(0x6A4222)));

    private static List<Rgb> freeColours(CueWords w) {
        List<Rgb> out = new ArrayList<>();
        for (String word : w.words()) {
            Rgb c = COLOURS.get(word);
            if (c != null && w.has(word)) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    private static Motion motion(CueWords w) {
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
