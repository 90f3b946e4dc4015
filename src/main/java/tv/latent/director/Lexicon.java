package tv.latent.director;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The template director's vocabulary: subjects with full descriptions, places, activities,
 * light, lenses, camera moves and moods. All immutable.
 *
 * <p>Wording rules, from what went wrong in the AI WebTV experiments: every description names
 * colours and distinguishing details, so that repeating it keeps a character stable across a
 * sequence; no brand, format or device names (they get painted into the frame as text); no
 * "crane shot" or orbiting moves (cranes are birds too, rotation smears); animals whose names
 * are also other things carry enough detail to pin down which one is meant, plus a negative.
 */
final class Lexicon {
    private Lexicon() {}

    enum Kind {
        WALKER("walking|trotting", "pausing to look around|standing still, ears twitching", "turning its head"),
        FLYER("flying|gliding", "hovering in place", "drifting"),
        SWIMMER("swimming|gliding", "drifting in place", "drifting"),
        PERSON("walking|strolling", "pausing to look around|stopping to look up at the sky", "turning their head"),
        CHARACTER("walking|hopping", "waving at the camera|looking around with curiosity", "turning its head"),
        VEHICLE("moving|rolling", "idling in place", "easing"),
        /** A subject the theme named that the lexicon does not know. */
        OTHER("moving", "standing out in the middle of the frame", "turning");

        final List<String> moves;
        final List<String> acts;
        final String gesture;

        Kind(String moves, String acts, String gesture) {
            this.moves = split(moves);
            this.acts = split(acts);
            this.gesture = gesture;
        }
    }

    /**
     * Something to film. {@code description} is repeated word for word in every shot of a
     * sequence; {@code keys} are the theme words that ask for it; {@code avoid} goes to the
     * negative prompt.
     */
    record Subject(
            String title,
            String description,
            Kind kind,
            Set<String> keys,
            Set<String> tags,
            List<String> moves,
            List<String> acts,
            String avoid) {}

    /** A place, said two ways: while moving through it, and while staying in it. */
    record Place(String moving, String staying, String title, Set<String> tags) {}

    enum Light {
        GOLDEN(
                "at golden hour",
                "golden hour backlight|warm low golden hour sun raking from the side|golden hour rim light with long shadows",
                "warm amber and honey palette|palette of gold, rust and deep green"),
        SOFT(
                "",
                "soft overcast light|diffused daylight under a pale grey sky",
                "muted sage and slate palette|palette of soft greens and stone grey"),
        DAWN(
                "at dawn",
                "pale dawn light under a pink sky|first light of sunrise glowing low on the horizon",
                "soft rose and lavender palette|palette of peach, lilac and pale blue"),
        MIST(
                "in the mist",
                "soft diffused light through drifting mist|hazy morning light filtering through fog",
                "cool silver and pine green palette|palette of pearl grey and moss green"),
        NEON(
                "at night",
                "neon glow reflecting on wet pavement|pink and cyan neon glow|neon glow mixed with warm lantern light",
                "teal and magenta palette|palette of electric blue and warm orange"),
        NIGHT(
                "at night",
                "cool moonlight with deep blue shadows|warm lamplight pooling in the darkness",
                "palette of deep navy and warm amber|midnight blue and silver palette"),
        INDOOR(
                "",
                "warm ambient light from a desk lamp|soft window light from one side|warm practical lamps and soft fill light",
                "warm beige and walnut palette|palette of cream, olive and warm wood"),
        BRIGHT(
                "",
                "bright cheerful sunlight with soft shadows|bright even daylight with a clear blue sky",
                "candy-coloured palette of pink, mint and lemon|saturated palette of red, yellow and sky blue"),
        UNDERWATER(
                "underwater",
                "sun rays filtering down through blue water|dappled rippling light on the sea floor",
                "turquoise and deep blue palette|palette of aqua and coral pink");

        final String title;
        final List<String> phrases;
        final List<String> palettes;

        Light(String title, String phrases, String palettes) {
            this.title = title;
            this.phrases = split(phrases);
            this.palettes = split(palettes);
        }
    }

    enum Mood {
        CALM("slow tempo, calm, spacious", "ambient piano and soft strings", "slowly|gently|unhurriedly", "quiet"),
        WARM(
                "slow tempo, warm, gentle",
                "warm acoustic guitar and soft piano",
                "slowly|unhurriedly|at a relaxed pace",
                "gentle"),
        DREAMY("slow tempo, dreamy, airy", "ambient synth pads and soft chimes", "slowly|gently|lazily", "dreamy"),
        PLAYFUL(
                "bouncy mid tempo, playful, light",
                "pizzicato strings and marimba",
                "briskly|at a lively pace|jauntily",
                "playful"),
        MOODY(
                "mid tempo, moody, pulsing",
                "lo-fi synthwave with soft drums",
                "at a steady pace|unhurriedly|slowly",
                "restless"),
        ENERGETIC(
                "upbeat, fast tempo, energetic",
                "driving synthwave with punchy drums",
                "quickly|briskly|at full speed",
                "fearless");

        final String words;
        final String instruments;
        final List<String> speeds;
        /** One word for the mood, for the narrator. */
        final String adjective;

        Mood(String words, String instruments, String speeds, String adjective) {
            this.words = words;
            this.instruments = instruments;
            this.speeds = split(speeds);
            this.adjective = adjective;
        }
    }

    /** Where the subject faces and moves on screen; each says orientation, path and a turn. */
    enum Screen {
        RIGHT("in profile facing right", "from left to right", "to the right"),
        LEFT("in profile facing left", "from right to left", "to the left"),
        DIAGONAL_RIGHT(
                "in three-quarter view facing right",
                "diagonally from the far left toward the near right",
                "to the right"),
        DIAGONAL_LEFT(
                "in three-quarter view facing left",
                "diagonally from the far right toward the near left",
                "to the left"),
        TOWARD("facing the camera", "toward the camera", "toward the camera"),
        AWAY("seen from behind", "away from the camera", "away from the camera");

        final String orientation;
        final String path;
        final String turn;

        Screen(String orientation, String path, String turn) {
            this.orientation = orientation;
            this.path = path;
            this.turn = turn;
        }

        /** Camera moves that follow a subject travelling this way. */
        List<String> followingMoves() {
            return switch (this) {
                case RIGHT, DIAGONAL_RIGHT ->
                    List.of("camera pans right following the subject", "camera tracks alongside moving right");
                case LEFT, DIAGONAL_LEFT ->
                    List.of("camera pans left following the subject", "camera tracks alongside moving left");
                case TOWARD -> List.of("camera slowly pulls back ahead of the subject", "slow dolly out");
                case AWAY -> List.of("camera follows slowly from behind", "locked-off camera as the subject recedes");
            };
        }
    }

    /** Framing; its lenses and depth of field belong to it. */
    record ShotType(String phrase, List<String> lenses, String depth, boolean establishing, boolean aerial) {}

    static final List<ShotType> SHOT_TYPES = List.of(
            new ShotType(
                    "Wide establishing shot", List.of("24mm wide-angle lens", "28mm lens"), "deep focus", true, false),
            new ShotType("Wide shot", List.of("28mm lens", "35mm lens"), "deep focus", true, false),
            new ShotType("Aerial shot", List.of("24mm wide-angle lens"), "deep focus", true, true),
            new ShotType("Medium shot", List.of("35mm lens", "50mm lens"), "shallow depth of field", false, false),
            new ShotType(
                    "Low-angle medium shot", List.of("28mm lens", "35mm lens"), "shallow depth of field", false, false),
            new ShotType("Close-up", List.of("85mm lens", "100mm lens"), "shallow depth of field", false, false),
            new ShotType(
                    "Long-lens shot",
                    List.of("200mm telephoto lens", "135mm telephoto lens"),
                    "shallow depth of field",
                    false,
                    false));

    /** Moves that suit any subject, moving or still. No rotation: it is prone to artefacts. */
    static final List<String> STEADY_MOVES = List.of(
            "slow dolly in",
            "slow push in",
            "locked-off static camera",
            "camera tilts up slowly",
            "camera rises slowly",
            "gentle handheld camera",
            "slow dolly out");

    static final List<String> AERIAL_MOVES = List.of("camera glides slowly forward", "camera drifts slowly sideways");

    static final List<String> FILM =
            List.of("film grain", "fine film grain", "soft film grain", "film grain and soft halation");

    static final Map<Light, List<String>> AIR = Map.of(
            Light.GOLDEN, List.of("dust glowing in the air", "a light breeze", "long soft shadows"),
            Light.SOFT, List.of("a light breeze", "still air", "a few drifting leaves"),
            Light.DAWN, List.of("dew glistening", "thin low haze", "cool still air"),
            Light.MIST, List.of("mist curling between the trees", "fine droplets in the air", "fog drifting slowly"),
            Light.NEON, List.of("light rain falling", "steam rising from the vents", "reflections rippling in puddles"),
            Light.NIGHT, List.of("fireflies drifting", "still night air", "faint stars overhead"),
            Light.INDOOR,
                    List.of("dust motes in the lamplight", "a steaming mug nearby", "plants swaying by an open window"),
            Light.BRIGHT, List.of("confetti-like petals drifting", "puffy clouds overhead", "a soft breeze"),
            Light.UNDERWATER, List.of("bubbles rising", "small fish darting past", "particles floating in the water"));

    /** Tags that name a kind of programme; when the theme has one, subjects must share it. */
    static final Set<String> TOPICS = Set.of("wildlife", "office", "food", "cyberpunk", "space", "farm", "animation");

    /** Theme words and the tags they raise. */
    static final Map<String, String> TAG_WORDS = Map.ofEntries(
            Map.entry("wildlife", "wildlife"),
            Map.entry("nature", "wildlife"),
            Map.entry("animals", "wildlife"),
            Map.entry("animal", "wildlife"),
            Map.entry("safari", "wildlife savanna"),
            Map.entry("birds", "wildlife"),
            Map.entry("mountain", "mountain"),
            Map.entry("mountains", "mountain"),
            Map.entry("alpine", "mountain"),
            Map.entry("peaks", "mountain"),
            Map.entry("hills", "mountain"),
            Map.entry("valley", "mountain"),
            Map.entry("misty", "mist"),
            Map.entry("mist", "mist"),
            Map.entry("foggy", "mist"),
            Map.entry("fog", "mist"),
            Map.entry("forest", "forest"),
            Map.entry("woods", "forest"),
            Map.entry("woodland", "forest"),
            Map.entry("jungle", "forest jungle"),
            Map.entry("rainforest", "forest jungle"),
            Map.entry("river", "river"),
            Map.entry("stream", "river"),
            Map.entry("lake", "lake"),
            Map.entry("pond", "lake"),
            Map.entry("ocean", "coast"),
            Map.entry("sea", "coast"),
            Map.entry("coast", "coast"),
            Map.entry("beach", "coast"),
            Map.entry("shore", "coast"),
            Map.entry("waves", "coast"),
            Map.entry("island", "coast"),
            Map.entry("underwater", "underwater"),
            Map.entry("reef", "underwater"),
            Map.entry("savanna", "savanna"),
            Map.entry("savannah", "savanna"),
            Map.entry("africa", "savanna"),
            Map.entry("snow", "snow"),
            Map.entry("snowy", "snow"),
            Map.entry("arctic", "snow"),
            Map.entry("winter", "snow"),
            Map.entry("desert", "desert"),
            Map.entry("dunes", "desert"),
            Map.entry("canyon", "canyon"),
            Map.entry("meadow", "meadow"),
            Map.entry("field", "meadow"),
            Map.entry("fields", "meadow"),
            Map.entry("garden", "meadow"),
            Map.entry("flower", "meadow"),
            Map.entry("flowers", "meadow"),
            Map.entry("city", "city"),
            Map.entry("urban", "city"),
            Map.entry("town", "city"),
            Map.entry("alley", "city"),
            Map.entry("rooftop", "city"),
            Map.entry("rooftops", "city"),
            Map.entry("cyberpunk", "cyberpunk city"),
            Map.entry("neon", "cyberpunk"),
            Map.entry("futuristic", "cyberpunk"),
            Map.entry("cozy", "cozy"),
            Map.entry("cosy", "cozy"),
            Map.entry("room", "home cozy"),
            Map.entry("home", "home cozy"),
            Map.entry("office", "office"),
            Map.entry("offices", "office"),
            Map.entry("jobs", "office"),
            Map.entry("desk", "office"),
            Map.entry("programmer", "office"),
            Map.entry("meeting", "office"),
            Map.entry("work", "office"),
            Map.entry("food", "food"),
            Map.entry("candy", "food candy"),
            Map.entry("sweets", "food candy"),
            Map.entry("fruit", "food"),
            Map.entry("vegetables", "food"),
            Map.entry("gingerbread", "food candy"),
            Map.entry("chocolate", "food candy"),
            Map.entry("cartoon", "animation"),
            Map.entry("animation", "animation"),
            Map.entry("animated", "animation"),
            Map.entry("pixar", "animation"),
            Map.entry("space", "space"),
            Map.entry("moon", "space"),
            Map.entry("mars", "space"),
            Map.entry("astronaut", "space"),
            Map.entry("planet", "space"),
            Map.entry("farm", "farm"),
            Map.entry("barn", "farm"),
            Map.entry("countryside", "farm"),
            Map.entry("noon", "day"),
            Map.entry("midday", "day"),
            Map.entry("afternoon", "day"),
            Map.entry("night", "night"),
            Map.entry("midnight", "night"),
            Map.entry("dawn", "dawn"),
            Map.entry("sunrise", "dawn"),
            Map.entry("morning", "dawn"),
            Map.entry("sunset", "golden"),
            Map.entry("dusk", "golden"),
            Map.entry("golden", "golden"),
            Map.entry("rain", "rain"),
            Map.entry("rainy", "rain"),
            Map.entry("chase", "fast"),
            Map.entry("race", "fast"),
            Map.entry("racing", "fast"),
            Map.entry("storm", "fast"),
            Map.entry("action", "fast"),
            Map.entry("sport", "fast"),
            Map.entry("sports", "fast"));

    static final List<Subject> SUBJECTS = List.of(
            subject(
                    "Red fox",
                    "a red fox with a white-tipped tail and amber eyes",
                    Kind.WALKER,
                    "fox",
                    "wildlife forest meadow mountain golden",
                    "trotting|padding|walking",
                    "staring into the camera|pausing to sniff the ground|lifting its head to listen",
                    ""),
            subject(
                    "Arctic fox",
                    "an arctic fox with a thick white winter coat and dark eyes",
                    Kind.WALKER,
                    "fox",
                    "wildlife snow",
                    "trotting|padding",
                    "digging in the snow|curling its tail around itself",
                    ""),
            subject(
                    "Brown bear",
                    "a brown bear with a shaggy chestnut coat and a pale muzzle",
                    Kind.WALKER,
                    "bear",
                    "wildlife river forest mountain",
                    "walking|lumbering",
                    "catching a salmon in splashing water|scratching its back against a pine trunk",
                    ""),
            subject(
                    "Red deer stag",
                    "a red deer stag with wide branching antlers and a russet coat",
                    Kind.WALKER,
                    "deer stag",
                    "wildlife forest mountain meadow mist",
                    "walking|picking its way",
                    "grazing on wet grass|raising its head as its breath steams",
                    ""),
            subject(
                    "Grey wolf",
                    "a grey wolf with a silver-tipped coat and pale yellow eyes",
                    Kind.WALKER,
                    "wolf",
                    "wildlife forest snow mountain mist",
                    "trotting|loping",
                    "sniffing the air|howling with its head raised",
                    ""),
            subject(
                    "Alpine ibex",
                    "an alpine ibex with long ridged curved horns and a tawny coat",
                    Kind.WALKER,
                    "ibex goat",
                    "wildlife mountain mist",
                    "climbing|picking its way",
                    "balancing on a narrow ledge|chewing a tuft of grass",
                    ""),
            subject(
                    "Snow leopard",
                    "a snow leopard with smoky grey rosettes and a long thick tail",
                    Kind.WALKER,
                    "leopard",
                    "wildlife mountain snow mist",
                    "prowling|stalking",
                    "resting on a boulder with its tail twitching|scanning the slope below",
                    ""),
            subject(
                    "Golden eagle",
                    "a golden eagle with dark brown plumage and golden nape feathers",
                    Kind.FLYER,
                    "eagle",
                    "wildlife mountain mist golden desert canyon",
                    "soaring|gliding",
                    "perched on a crag with wings half open",
                    ""),
            subject(
                    "Grey heron",
                    "a grey heron with a long yellow bill and slate-grey wings",
                    Kind.FLYER,
                    "heron",
                    "wildlife river lake mist",
                    "wading|flying",
                    "standing motionless in the shallows",
                    ""),
            subject(
                    "Barn owl",
                    "a barn owl with a heart-shaped white face and honey-coloured wings",
                    Kind.FLYER,
                    "owl",
                    "wildlife forest night farm",
                    "gliding|flying",
                    "perched on a fence post",
                    ""),
            subject(
                    "Honeybee",
                    "a honeybee with golden-striped fuzz and translucent wings",
                    Kind.FLYER,
                    "bee honeybee",
                    "wildlife meadow macro",
                    "buzzing|flying",
                    "gathering pollen from a purple flower",
                    ""),
            subject(
                    "Monarch butterfly",
                    "a monarch butterfly with orange and black veined wings",
                    Kind.FLYER,
                    "butterfly",
                    "wildlife meadow macro",
                    "fluttering",
                    "resting on a thistle, wings opening and closing",
                    ""),
            subject(
                    "Lioness",
                    "a lioness with a sandy coat and amber eyes",
                    Kind.WALKER,
                    "lion lioness",
                    "wildlife savanna golden",
                    "walking|stalking",
                    "resting in the long grass",
                    ""),
            subject(
                    "Elephant",
                    "an African elephant with dusty grey skin and curved pale tusks",
                    Kind.WALKER,
                    "elephant",
                    "wildlife savanna",
                    "walking|ambling",
                    "throwing dust over its back with its trunk",
                    ""),
            subject(
                    "Giraffe",
                    "a giraffe with a patchwork chestnut coat and a long neck",
                    Kind.WALKER,
                    "giraffe",
                    "wildlife savanna golden",
                    "walking",
                    "browsing on acacia leaves",
                    ""),
            subject(
                    "Sea otter",
                    "a sea otter with dense brown fur and white whiskers",
                    Kind.SWIMMER,
                    "otter",
                    "wildlife coast river",
                    "swimming",
                    "floating on its back cracking a shell",
                    ""),
            subject(
                    "Humpback whale",
                    "a humpback whale with long white-edged flippers",
                    Kind.SWIMMER,
                    "whale",
                    "wildlife coast underwater",
                    "swimming|gliding",
                    "rising to breathe, water streaming off its back",
                    ""),
            subject(
                    "Sea turtle",
                    "a green sea turtle with a patterned olive shell",
                    Kind.SWIMMER,
                    "turtle",
                    "wildlife underwater",
                    "swimming|gliding",
                    "resting with its flippers spread",
                    ""),
            subject(
                    "Red-crowned crane",
                    "a red-crowned crane with white plumage, a black neck and a scarlet cap",
                    Kind.FLYER,
                    "crane",
                    "wildlife river lake snow mist",
                    "wading|stepping",
                    "dancing with its wings spread",
                    "construction crane, machinery"),
            subject(
                    "Fruit bat",
                    "a fruit bat with leathery brown wings and a fox-like face",
                    Kind.FLYER,
                    "bat",
                    "wildlife night forest jungle",
                    "flying",
                    "hanging upside down from a branch",
                    "baseball bat"),
            subject(
                    "Harbour seal",
                    "a grey harbour seal with a spotted coat and dark round eyes",
                    Kind.SWIMMER,
                    "seal",
                    "wildlife coast",
                    "swimming",
                    "lying on a rock, lifting its head",
                    "stamp, emblem"),
            subject(
                    "Field mouse",
                    "a small brown field mouse with round ears and a long tail",
                    Kind.WALKER,
                    "mouse",
                    "wildlife meadow farm forest macro",
                    "scurrying",
                    "nibbling a seed held in its paws",
                    "computer mouse"),
            subject(
                    "Jaguar",
                    "a jaguar, the big cat, with a golden coat of black rosettes",
                    Kind.WALKER,
                    "jaguar",
                    "wildlife forest jungle",
                    "prowling",
                    "crouching on a low branch",
                    "car, vehicle, emblem"),
            // "Llama" is also Spanish for flame: flames appeared in the original AI WebTV's clips.
            // Each llama says what the animal looks like, and the director adds fire to its
            // negative prompt.
            subject(
                    "Llama",
                    "a long-necked woolly llama with a tan coat and tufted ears",
                    Kind.WALKER,
                    "llama alpaca",
                    "wildlife mountain farm mist",
                    "walking|strolling",
                    "chewing slowly while looking around",
                    "fire, flames"),
            subject(
                    "Llama in glasses",
                    "a long-necked woolly llama with cream-white fur, round glasses and a grey hoodie",
                    Kind.CHARACTER,
                    "llama",
                    "office cozy city animation",
                    "walking|strolling",
                    "",
                    "fire, flames"),
            subject(
                    "Llama in a blazer",
                    "a long-necked woolly llama with brown fur, a navy blazer and a yellow tie",
                    Kind.CHARACTER,
                    "llama",
                    "office city animation",
                    "walking|strolling",
                    "",
                    "fire, flames"),
            subject(
                    "Llama in a scarf",
                    "a long-necked woolly llama with white fur and a pink knitted scarf",
                    Kind.CHARACTER,
                    "llama",
                    "office cozy animation",
                    "walking|strolling",
                    "",
                    "fire, flames"),
            subject(
                    "Astronaut",
                    "an astronaut in a vintage white spacesuit with a gold-tinted visor",
                    Kind.PERSON,
                    "astronaut",
                    "space mountain mist",
                    "walking|bounding",
                    "kneeling to scoop up a handful of dust|looking up at the sky",
                    ""),
            subject(
                    "Bicycle courier",
                    "a bicycle courier in a yellow raincoat with a teal backpack",
                    Kind.PERSON,
                    "courier cyclist",
                    "city cyberpunk night rain",
                    "cycling|riding a bicycle",
                    "waiting at a crossing, one foot down",
                    ""),
            subject(
                    "Street-food vendor",
                    "a street-food vendor in a red apron and a white cap",
                    Kind.PERSON,
                    "vendor cook",
                    "city cyberpunk cozy night",
                    "walking",
                    "flipping dumplings over a steaming grill",
                    ""),
            subject(
                    "Woman with a red umbrella",
                    "a young woman in a green raincoat holding a red umbrella",
                    Kind.PERSON,
                    "woman girl",
                    "city cyberpunk cozy night rain",
                    "walking|strolling",
                    "pausing under an awning",
                    ""),
            subject(
                    "Hiker",
                    "a hiker in an orange jacket with a grey backpack",
                    Kind.PERSON,
                    "hiker climber",
                    "mountain mist forest snow",
                    "hiking|walking",
                    "stopping to look across the valley",
                    ""),
            subject(
                    "Surfer",
                    "a surfer in a black wetsuit carrying a white longboard",
                    Kind.PERSON,
                    "surfer",
                    "coast golden",
                    "walking",
                    "waxing the board on the sand",
                    ""),
            subject(
                    "Lighthouse keeper",
                    "an old lighthouse keeper in a navy wool coat with a grey beard",
                    Kind.PERSON,
                    "keeper lighthouse",
                    "coast",
                    "walking",
                    "polishing a brass lamp",
                    ""),
            subject(
                    "Office worker",
                    "an office worker in a pale blue shirt and dark grey trousers",
                    Kind.PERSON,
                    "worker clerk programmer",
                    "office city",
                    "walking",
                    "",
                    ""),
            subject(
                    "Farmer",
                    "a farmer in green overalls and a straw hat",
                    Kind.PERSON,
                    "farmer",
                    "farm",
                    "walking",
                    "scattering grain for the chickens",
                    ""),
            subject(
                    "Broccoli",
                    "a friendly broccoli character in a small straw hat with round cheerful eyes",
                    Kind.CHARACTER,
                    "broccoli",
                    "food candy animation",
                    "walking|hopping",
                    "",
                    ""),
            subject(
                    "Banana",
                    "a cheerful banana character with tiny white gloves and red sneakers",
                    Kind.CHARACTER,
                    "banana",
                    "food candy animation",
                    "strolling|hopping",
                    "",
                    ""),
            subject(
                    "Cupcake",
                    "a cupcake character with pink frosting and a cherry on top",
                    Kind.CHARACTER,
                    "cupcake cake",
                    "food candy animation",
                    "hopping|bouncing",
                    "",
                    ""),
            subject(
                    "Strawberry",
                    "a strawberry character with a green leafy cap and a freckled red face",
                    Kind.CHARACTER,
                    "strawberry",
                    "food candy animation",
                    "hopping|walking",
                    "",
                    ""),
            subject(
                    "Panda",
                    "a panda in a blue sailor's cap",
                    Kind.WALKER,
                    "panda",
                    "animation forest river",
                    "walking|ambling",
                    "munching a stalk of bamboo",
                    ""),
            subject(
                    "Black cat",
                    "a black cat with bright green eyes and a red neckerchief",
                    Kind.WALKER,
                    "cat",
                    "animation cozy city night",
                    "walking|padding",
                    "washing a paw on a windowsill",
                    ""),
            subject(
                    "Ginger cat",
                    "a ginger cat with a white chest and green eyes",
                    Kind.WALKER,
                    "cat kitten",
                    "cozy city night farm home",
                    "walking|padding",
                    "curled up on a cushion, ears twitching",
                    ""),
            subject(
                    "Little robot",
                    "a small round robot with a dented white shell and blue lamp eyes",
                    Kind.CHARACTER,
                    "robot android",
                    "cyberpunk space city animation",
                    "rolling",
                    "scanning a puddle with its lamp eyes",
                    ""),
            subject(
                    "Tram",
                    "a vintage green-and-cream tram with glowing windows",
                    Kind.VEHICLE,
                    "tram streetcar",
                    "city cyberpunk night cozy",
                    "rolling|gliding",
                    "waiting at a stop with its doors open",
                    ""),
            subject(
                    "Sailboat",
                    "a small red sailboat with a white sail",
                    Kind.VEHICLE,
                    "boat sailboat",
                    "coast river lake",
                    "sailing",
                    "bobbing at anchor",
                    ""),
            subject(
                    "Hover car",
                    "a sleek hover car with teal underglow",
                    Kind.VEHICLE,
                    "car",
                    "cyberpunk city night",
                    "gliding",
                    "hovering beside a balcony",
                    ""),
            subject(
                    "Steam train",
                    "a steam train with a black engine and red wheels",
                    Kind.VEHICLE,
                    "train",
                    "mountain farm snow",
                    "steaming|rolling",
                    "waiting at a small station, puffing steam",
                    ""));

    /** Used when nothing in the theme points anywhere. */
    static final Set<String> GENERAL_SUBJECTS =
            Set.of("Red fox", "Hiker", "Golden eagle", "Sailboat", "Ginger cat", "Red deer stag");

    static final List<Place> PLACES = List.of(
            place("on a rocky ridge above drifting low cloud", "in the mountains", "mountain"),
            place("across a high alpine meadow below jagged peaks", "in the mountains", "mountain"),
            place("along a scree slope dotted with pine trees", "in the mountains", "mountain"),
            place("through a mossy pine forest", "in the forest", "forest"),
            place("along a fern-lined forest trail", "in the forest", "forest"),
            place("through dense jungle under hanging vines", "in the jungle", "jungle"),
            place("across a meadow of tall dry grass", "in the meadow", "meadow"),
            place("through a field of wildflowers", "among the wildflowers", "meadow"),
            place("along the bank of a fast rocky river", "by the river", "river"),
            place("beside a shallow braided river", "by the river", "river"),
            place("along the reedy shore of a still lake", "by the lake", "lake"),
            place("along a rocky coast where waves break on dark rocks", "on the coast", "coast"),
            place("across wet sand at the water's edge", "on the beach", "coast"),
            place("over a coral reef in clear blue water", "on the reef", "underwater"),
            place("across open savanna past a lone acacia tree", "on the savanna", "savanna"),
            place("across deep fresh snow between frosted spruces", "in the snow", "snow"),
            place("across rippled orange sand dunes", "in the dunes", "desert"),
            place("along a rain-slick street lined with noodle stalls", "in the city", "city"),
            place("across a rooftop crowded with humming air vents", "on the rooftops", "city"),
            place("past a steamy tea house window", "in the city", "city"),
            place("beneath stacked walkways and hanging cables", "in the city", "cyberpunk"),
            place("along a narrow alley strung with glowing lanterns", "in the alley", "cyberpunk"),
            place("through an open-plan office with potted plants and big windows", "at the office", "office"),
            place("along a carpeted office corridor lined with glass meeting rooms", "at the office", "office"),
            place("through a small cosy office with a window onto the city", "at the office", "office"),
            place("through a cosy dim room with a cluttered desk", "at home", "home"),
            place("across grey lunar dust under a black sky full of stars", "on the moon", "space"),
            place("along a candy street of gingerbread houses", "on candy street", "candy food"),
            place("under cotton-candy clouds beside a chocolate road", "in candy land", "candy food"),
            place("across a farmyard beside a red barn", "on the farm", "farm"),
            place("along a muddy lane between hedgerows", "in the countryside", "farm"));

    static final List<Place> GENERAL_PLACES = List.of(
            place("across an open grassy landscape", "outdoors", ""),
            place("along a quiet country path", "outdoors", ""));

    /** Activities a theme's topic implies, for subjects that act out a job or a story. */
    static final Map<String, List<String>> TOPIC_ACTS = Map.of(
            "office",
                    List.of(
                            "typing on a laptop at a tidy desk",
                            "answering a desk phone",
                            "sipping coffee by the window",
                            "sorting paper folders into a filing cabinet",
                            "nodding along in a meeting at a long table",
                            "watering a potted plant on a desk"),
            "food",
                    List.of(
                            "stacking sugar-cube blocks into a small pyramid",
                            "waving from a chocolate bridge",
                            "balancing a gumdrop on its head",
                            "dancing in a little circle"));

    static final Map<String, List<String>> TOPIC_MOVES = Map.of(
            "office",
                    List.of(
                            "carrying a stack of paper folders",
                            "pushing a mail cart",
                            "hurrying to a meeting with a coffee cup"),
            "food", List.of("rolling a giant gumdrop", "skipping"));

    private static Subject subject(
            String title,
            String description,
            Kind kind,
            String keys,
            String tags,
            String moves,
            String acts,
            String avoid) {
        return new Subject(
                title,
                description,
                kind,
                words(keys),
                words(tags),
                moves.isEmpty() ? kind.moves : split(moves),
                acts.isEmpty() ? List.of() : split(acts),
                avoid);
    }

    private static Place place(String moving, String title, String tags) {
        return new Place(moving, staying(moving), title, words(tags));
    }

    /** "across a meadow" while moving is "in a meadow" while staying put. */
    private static String staying(String moving) {
        String[] parts = moving.split(" ", 2);
        String rest = parts[1];
        String where =
                switch (parts[0]) {
                    case "through" -> "in";
                    case "past" -> "by";
                    case "along" -> rest.contains("alley") || rest.contains("corridor") ? "in" : "on";
                    case "across" ->
                        rest.contains("sand") || rest.contains("rooftop") || rest.contains("dust") ? "on" : "in";
                    default -> parts[0];
                };
        return where + " " + rest;
    }

    static List<String> split(String alternatives) {
        return List.of(alternatives.split("\\|"));
    }

    static Set<String> words(String spaced) {
        return spaced.isBlank()
                ? Set.of()
                : Arrays.stream(spaced.trim().split("\\s+")).collect(Collectors.toUnmodifiableSet());
    }
}
