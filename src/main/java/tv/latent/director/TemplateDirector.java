package tv.latent.director;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tv.latent.director.Lexicon.Kind;
import tv.latent.director.Lexicon.Light;
import tv.latent.director.Lexicon.Mood;
import tv.latent.director.Lexicon.Place;
import tv.latent.director.Lexicon.Screen;
import tv.latent.director.Lexicon.ShotType;
import tv.latent.director.Lexicon.Subject;

/**
 * The embedded director: offline, no model, deterministic by seed. It reads the channel's theme
 * for subjects, actions, places and time, fills the gaps from a built-in lexicon, and writes
 * prompts the way the AI WebTV experiments found text-to-video models need them: shot type and
 * camera move, the subject's orientation, direction and speed, the light, lens and film words,
 * and the channel's style words; no brand or device names that get drawn into the frame.
 *
 * <p>Shots come in sequences of two to four. Within a sequence the subject's full description,
 * the place, the light, the colour palette, the screen direction and the music stay the same,
 * word for word, so that characters and colours do not drift between clips. When the shots will
 * continue each other ({@link DirectorRequest#continuity()}), a sequence keeps one framing and one
 * action too, so each shot carries the previous one's moment on instead of cutting away. No prompt
 * repeats one of the request's recent prompts or an earlier one of the same batch.
 *
 * <pre>{@code
 * Director director = new TemplateDirector();
 * var brief = new ChannelBrief("wild", "Wild Hours", "wildlife at golden hour",
 *     List.of("cinematic", "35mm film"), "calm ambient piano");
 * Direction next = director.plan(new DirectorRequest(brief, recentPrompts, 6, 42));
 * }</pre>
 *
 * <p>Thread-safe: it holds no state; every call works on its own values.
 */
public final class TemplateDirector implements Director {
    /** The {@link Direction#director()} this director reports. */
    public static final String NAME = "template";

    /** Always in the negative prompt: stock-footage watermarks and stray lettering first. */
    public static final String BASE_NEGATIVE = "text, watermark, logo, caption, blurry, distorted, low quality, nsfw";

    private static final int MAX_ATTEMPTS = 2000;
    private static final int MAX_STYLE_WORDS = 8;
    private static final Set<String> TRAVEL_VERBS = Set.of(
            "walking",
            "running",
            "sailing",
            "swimming",
            "flying",
            "driving",
            "riding",
            "cycling",
            "trotting",
            "wandering",
            "strolling",
            "marching",
            "gliding",
            "drifting",
            "rolling",
            "skating",
            "surfing",
            "hiking",
            "soaring",
            "galloping",
            "crawling",
            "paddling",
            "rowing",
            "hopping",
            "skipping",
            "racing",
            "climbing",
            "travelling",
            "traveling",
            "roaming",
            "prowling",
            "floating",
            "wading",
            "journeying",
            "flowing");
    private static final Set<String> PATH_WORDS =
            Set.of("down", "up", "through", "along", "across", "into", "over", "around", "past", "toward", "towards");
    private static final Set<String> PLACE_TAGS =
            Lexicon.PLACES.stream().flatMap(p -> p.tags().stream()).collect(Collectors.toUnmodifiableSet());

    /** Creates a template director. It needs nothing: no network, no files, no configuration. */
    public TemplateDirector() {}

    @Override
    public Direction plan(DirectorRequest request) {
        ChannelBrief brief = request.brief();
        // The request seed alone fixes the plan; the theme is mixed in so that two channels asked
        // with the same seed do not get the same camera choices.
        long seed = request.seed()
                ^ PlanRandom.mix(brief.theme() == null ? 0 : brief.theme().hashCode());
        ThemeReading theme = ThemeReading.of(brief.theme());
        List<String> style = styleWords(brief.style());
        boolean animated = theme.animated() || style.stream().anyMatch(TemplateDirector::soundsAnimated);

        Set<String> taken = new HashSet<>();
        request.recentPrompts().forEach(p -> taken.add(PromptScrubber.normal(p)));
        String recent = request.recentPrompts().stream()
                .limit(24)
                .map(p -> p.toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("\n"));

        List<ShotPlan> shots = new ArrayList<>();
        Set<String> castInBatch = new HashSet<>();
        List<Integer> sizes = sequenceSizes(request.count(), request.seed());
        Narrator narrator = brief.narration().on() ? new Narrator(brief.narration()) : null;
        int index = 0;
        for (int s = 0; s < sizes.size(); s++) {
            Sequence sequence = sequence(theme, brief, style, animated, s, seed, recent, castInBatch);
            castInBatch.add(sequence.cast().title());
            List<ShotPlan> inSequence = new ArrayList<>();
            for (int j = 0; j < sizes.get(s); j++) {
                ShotPlan shot = shot(sequence, j, index, request.seed(), seed, taken, request.continuity());
                taken.add(PromptScrubber.normal(shot.prompt()));
                inSequence.add(shot);
                index++;
            }
            shots.addAll(
                    narrator == null
                            ? inSequence
                            : narrate(narrator, brief.narration(), sequence, inSequence, seed, s));
        }
        return new Direction(shots, NAME, "");
    }

    /**
     * A viewer's suggestion in this director's grammar: a framing and a camera move, then the
     * viewer's own words (markup taken out, brand words rewritten as in every prompt), then the
     * light and palette the suggestion names (else the channel's theme's), lens, depth of field,
     * film words and the channel's style words. The music follows the channel's mood.
     */
    @Override
    public Direction adapt(AdaptRequest request) {
        ChannelBrief brief = request.brief();
        String words = PromptScrubber.scrub(SuggestionWords.forPrompt(request.suggestion()));
        if (SuggestionWords.contentWords(words).isEmpty() && words.codePoints().noneMatch(Character::isLetter)) {
            throw new IllegalArgumentException("the suggestion has no words to make a shot of");
        }
        ThemeReading viewer = ThemeReading.of(words);
        ThemeReading channel = ThemeReading.of(brief.theme());
        List<String> style = styleWords(brief.style());
        boolean animated =
                viewer.animated() || channel.animated() || style.stream().anyMatch(TemplateDirector::soundsAnimated);
        Set<Light> said = saidLights(viewer.tags());
        List<Light> lights = List.copyOf(said.isEmpty() ? lights(channel.tags()) : said);
        Set<String> tags = new TreeSet<>(channel.tags());
        tags.addAll(viewer.tags());

        Set<String> taken = new HashSet<>();
        request.recentPrompts().forEach(p -> taken.add(PromptScrubber.normal(p)));
        List<ShotType> framings = Lexicon.SHOT_TYPES.stream()
                .filter(t -> !t.aerial() && !t.phrase().startsWith("Long-lens"))
                .toList();
        String prompt = null;
        Mood mood = Mood.CALM;
        for (int attempt = 0; attempt < 50 && prompt == null; attempt++) {
            PlanRandom rng = PlanRandom.of(request.seed(), 4, attempt);
            Light light = rng.pick(lights);
            mood = mood(tags, light, brief.musicMood());
            ShotType type = rng.pick(framings);
            String head = type.phrase() + ", " + rng.pick(Lexicon.STEADY_MOVES) + ": " + words;
            String tail = String.join(
                    ", ",
                    rng.pick(light.phrases),
                    rng.pick(light.palettes),
                    rng.pick(type.lenses()),
                    type.depth(),
                    rng.pick(Lexicon.FILM));
            StringBuilder built = new StringBuilder(head).append(", ").append(tail);
            String lowered = built.toString().toLowerCase(Locale.ROOT);
            List<String> looks = new ArrayList<>(viewer.looks());
            looks.addAll(channel.looks());
            looks.addAll(style);
            for (String look : looks) {
                if (!lowered.contains(look.toLowerCase(Locale.ROOT))) {
                    built.append(", ").append(look);
                    lowered = lowered + " " + look.toLowerCase(Locale.ROOT);
                }
            }
            String candidate = fit(PromptScrubber.tidy(built.toString()));
            if (!taken.contains(PromptScrubber.normal(candidate))) {
                prompt = candidate;
            }
        }
        if (prompt == null) {
            throw new IllegalStateException("every framing of this suggestion was aired lately");
        }
        String negative = BASE_NEGATIVE + (animated ? ", live action" : ", vertical lines, flicker");
        long shotSeed = PlanRandom.of(request.seed(), 5).nextLong() >>> 33;
        ShotPlan shot = new ShotPlan(
                SuggestionWords.title(words), prompt, negative, shotSeed, music(brief.musicMood(), mood), "viewer");
        return new Direction(List.of(shot), NAME, "");
    }

    /**
     * The sequence's shots with their narration: a line per shot, or one line for the sequence
     * spread over its shots. Draws from a stream of its own, so the prompts a seed gives are the
     * same with or without a narrator.
     */
    private static List<ShotPlan> narrate(
            Narrator narrator,
            Director.NarrationBrief narration,
            Sequence sequence,
            List<ShotPlan> shots,
            long seed,
            int number) {
        PlanRandom rng = PlanRandom.of(seed, 4, number);
        Narrator.Scene scene = new Narrator.Scene(
                Narrator.subjectOf(sequence.cast().title()),
                sequence.where(),
                sequence.when(),
                doings(sequence),
                sequence.mood().adjective);
        List<String> lines = new ArrayList<>();
        if (narration.mode() == Director.NarrationBrief.Mode.SEQUENCE) {
            lines.addAll(NarrationLines.spread(narrator.sequenceLine(scene, shots.size(), rng), shots.size()));
        } else {
            for (int i = 0; i < shots.size(); i++) {
                lines.add(narrator.shotLine(scene, rng));
            }
        }
        List<ShotPlan> out = new ArrayList<>();
        for (int i = 0; i < shots.size(); i++) {
            out.add(shots.get(i).withNarration(lines.get(i)));
        }
        return out;
    }

    /** Short things the sequence's subject does, fit to be said aloud (no camera talk). */
    private static List<String> doings(Sequence sequence) {
        List<String> all = new ArrayList<>(sequence.themeActs());
        all.addAll(sequence.cast().acts());
        all.addAll(sequence.cast().moves());
        return all.stream()
                .map(String::strip)
                .filter(a -> !a.isEmpty() && !a.contains("camera") && words(a) <= 5)
                .distinct()
                .toList();
    }

    /** Who is on screen in one sequence; its description is repeated word for word. */
    private record Cast(
            String title,
            String description,
            Kind kind,
            Set<Kind> kinds,
            List<String> moves,
            List<String> acts,
            Set<String> tags,
            String avoid,
            boolean macro) {}

    /** Everything a sequence keeps constant across its shots. */
    private record Sequence(
            String id,
            Cast cast,
            String moving,
            String staying,
            String placeTitle,
            boolean placeInside,
            Light light,
            String lightPhrase,
            String palette,
            Mood mood,
            Screen axis,
            List<String> themeActs,
            List<String> topicMoves,
            List<String> topicActs,
            List<String> looks,
            String negative,
            String music,
            boolean aerialAllowed,
            boolean aerialFirst,
            List<ShotType> cutOrder,
            String where,
            String when) {}

    /** A sentence-part of what the subject does, and whether it travels across the frame. */
    private record Act(String phrase, boolean travels, boolean hasPlace) {}

    private static Sequence sequence(
            ThemeReading theme,
            ChannelBrief brief,
            List<String> style,
            boolean animated,
            int number,
            long seed,
            String recent,
            Set<String> castInBatch) {
        PlanRandom rng = PlanRandom.of(seed, 3, number);
        Cast cast = cast(theme, rng, recent, castInBatch);

        List<Light> lights = lights(theme.tags());
        Light light = rng.pick(lights);
        String lightPhrase = rng.pick(light.phrases);
        String palette = rng.pick(light.palettes);

        // The theme's own place decides which lexicon details may sit inside it.
        SortedSet<String> placeTags = new TreeSet<>(theme.where().isEmpty() ? theme.tags() : tagsOf(theme.where()));
        placeTags.retainAll(PLACE_TAGS);
        if (placeTags.isEmpty() && theme.where().isEmpty()) {
            placeTags.addAll(cast.tags());
            placeTags.retainAll(PLACE_TAGS);
        }
        Set<String> whereWords = contentWords(theme.where());
        List<Place> matching = Lexicon.PLACES.stream()
                .filter(p -> p.tags().stream().anyMatch(placeTags::contains))
                .filter(p -> contentWords(p.moving()).stream().noneMatch(whereWords::contains))
                .toList();
        // "a city of cotton-candy clouds" wants the candy street more than a noodle-stall street.
        int bestFit = matching.stream()
                .mapToInt(p -> overlap(p.tags(), placeTags))
                .max()
                .orElse(0);
        List<Place> fitting = matching.stream()
                .filter(p -> overlap(p.tags(), placeTags) == bestFit)
                .toList();
        Place detail = fitting.isEmpty()
                ? (theme.where().isEmpty() ? rng.pick(Lexicon.GENERAL_PLACES) : null)
                : rng.pick(fitting);
        String tail = join(" ", theme.where(), timeTails(theme.when(), lightPhrase));
        String scenery = String.join(", ", theme.scenery());
        String moving = join(", ", join(" ", detail == null ? "" : detail.moving(), tail), scenery);
        String staying = join(", ", join(" ", detail == null ? "" : detail.staying(), tail), scenery);
        String[] whereWords5 = theme.where().split("\\s+");
        String placeTitle = !light.title.isEmpty()
                ? light.title
                : detail != null
                        ? detail.title()
                        : String.join(" ", List.of(whereWords5).subList(0, Math.min(5, whereWords5.length)));
        boolean inside = light == Light.INDOOR
                || light == Light.UNDERWATER
                || placeTags.contains("office")
                || placeTags.contains("home")
                || placeTags.contains("underwater");

        Mood mood = mood(theme.tags(), light, brief.musicMood());
        Screen axis = rng.chance(50) ? Screen.RIGHT : Screen.LEFT;

        List<String> topicMoves = new ArrayList<>();
        List<String> topicActs = new ArrayList<>();
        boolean actsOut = cast.kind() == Kind.PERSON
                || cast.kind() == Kind.CHARACTER
                || !theme.named().isEmpty();
        for (String tag : theme.tags()) {
            if (actsOut) {
                topicMoves.addAll(Lexicon.TOPIC_MOVES.getOrDefault(tag, List.of()));
                topicActs.addAll(Lexicon.TOPIC_ACTS.getOrDefault(tag, List.of()));
            }
        }

        List<String> looks = new ArrayList<>(theme.looks());
        looks.addAll(style);
        String negative = negative(cast, theme, animated);
        String music = music(brief.musicMood(), mood);
        return new Sequence(
                "s" + (number + 1),
                cast,
                moving,
                staying,
                placeTitle,
                inside,
                light,
                lightPhrase,
                palette,
                mood,
                axis,
                theme.activities(),
                topicMoves,
                topicActs,
                looks,
                negative,
                music,
                !inside && !cast.macro(),
                theme.wantsAerial(),
                cutOrder(rng),
                detail != null
                        ? detail.title()
                        : String.join(" ", List.of(whereWords5).subList(0, Math.min(5, whereWords5.length))),
                light.title);
    }

    private static Cast cast(ThemeReading theme, PlanRandom rng, String recent, Set<String> castInBatch) {
        Cast cast;
        if (!theme.named().isEmpty()) {
            List<Subject> chosen = new ArrayList<>();
            for (List<Subject> variants : theme.named()) {
                chosen.add(fresh(variants, rng, recent, castInBatch));
            }
            Subject lead = chosen.getFirst();
            String description = chosen.stream().map(Subject::description).collect(Collectors.joining(" alongside "));
            String title = chosen.getFirst().title()
                    + chosen.stream()
                            .skip(1)
                            .map(s -> " and " + s.title().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining());
            List<String> acts = chosen.stream().flatMap(s -> s.acts().stream()).toList();
            Set<String> tags =
                    chosen.stream().flatMap(s -> s.tags().stream()).collect(Collectors.toCollection(TreeSet::new));
            String avoid = chosen.stream()
                    .map(Subject::avoid)
                    .filter(a -> !a.isEmpty())
                    .distinct()
                    .collect(Collectors.joining(", "));
            boolean macro = chosen.stream().anyMatch(s -> s.tags().contains("macro"));
            Set<Kind> kinds = chosen.stream()
                    .map(Subject::kind)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(Kind.class)));
            cast = new Cast(title, description, lead.kind(), kinds, lead.moves(), acts, tags, avoid, macro);
        } else if (!theme.otherSubject().isEmpty()) {
            String other = theme.otherSubject();
            String article = other.endsWith("s") && !other.endsWith("ss")
                    ? ""
                    : ThemeReading.startsWithVowel(other) ? "an " : "a ";
            cast = new Cast(
                    capitalise(other),
                    article + other,
                    Kind.OTHER,
                    EnumSet.of(Kind.OTHER),
                    Kind.OTHER.moves,
                    List.of(),
                    Set.of(),
                    "",
                    false);
        } else {
            Subject s = fresh(candidates(theme.tags()), rng, recent, castInBatch);
            cast = new Cast(
                    s.title(),
                    s.description(),
                    s.kind(),
                    EnumSet.of(s.kind()),
                    s.moves(),
                    s.acts(),
                    s.tags(),
                    s.avoid(),
                    s.tags().contains("macro"));
        }
        String described = cast.description();
        for (String attribute : theme.attributes()) {
            Set<String> words = contentWords(attribute);
            if (!words.isEmpty() && words.stream().noneMatch(contentWords(described)::contains)) {
                String first = ThemeReading.tokens(attribute).getFirst();
                boolean joins = Set.of("in", "on", "with", "wearing", "holding", "dressed", "carrying")
                        .contains(first);
                described = described + (joins ? ", " : ", with ") + attribute;
            }
        }
        return new Cast(
                cast.title(),
                described,
                cast.kind(),
                cast.kinds(),
                cast.moves(),
                cast.acts(),
                cast.tags(),
                cast.avoid(),
                cast.macro());
    }

    /** Subjects that fit the theme's tags; those sharing its topic first, the best-fitting ones. */
    private static List<Subject> candidates(SortedSet<String> tags) {
        Set<String> topics = new TreeSet<>(tags);
        topics.retainAll(Lexicon.TOPICS);
        List<Subject> pool = Lexicon.SUBJECTS.stream()
                .filter(s -> topics.isEmpty() || s.tags().stream().anyMatch(topics::contains))
                .toList();
        int best = pool.stream().mapToInt(s -> overlap(s, tags)).max().orElse(0);
        List<Subject> fit = pool.stream()
                .filter(s -> overlap(s, tags) >= Math.max(1, best - 1))
                .toList();
        if (!fit.isEmpty()) {
            return fit;
        }
        return Lexicon.SUBJECTS.stream()
                .filter(s -> Lexicon.GENERAL_SUBJECTS.contains(s.title()))
                .toList();
    }

    private static int overlap(Subject s, Set<String> tags) {
        return overlap(s.tags(), tags);
    }

    private static int overlap(Set<String> some, Set<String> others) {
        return (int) some.stream().filter(others::contains).count();
    }

    /** Picks a subject the channel has not shown lately, when the theme leaves a choice. */
    private static Subject fresh(List<Subject> options, PlanRandom rng, String recent, Set<String> castInBatch) {
        List<Subject> unseen = options.stream()
                .filter(s -> !castInBatch.contains(s.title()) && !recent.contains(s.description()))
                .toList();
        if (!unseen.isEmpty()) {
            return rng.pick(unseen);
        }
        List<Subject> notInBatch =
                options.stream().filter(s -> !castInBatch.contains(s.title())).toList();
        return rng.pick(notInBatch.isEmpty() ? options : notInBatch);
    }

    private static List<Light> lights(Set<String> tags) {
        Set<Light> found = saidLights(tags);
        if (found.isEmpty()) {
            // Unsaid light comes out as flat midday: always name one.
            return List.of(Light.GOLDEN, Light.SOFT, Light.DAWN);
        }
        return List.copyOf(found);
    }

    /** The lights the tags name, possibly none. */
    private static Set<Light> saidLights(Set<String> tags) {
        Set<Light> found = EnumSet.noneOf(Light.class);
        if (tags.contains("golden")) {
            found.add(Light.GOLDEN);
        }
        if (tags.contains("dawn")) {
            found.add(Light.DAWN);
        }
        if (tags.contains("mist")) {
            found.add(Light.MIST);
        }
        if (tags.contains("cyberpunk")) {
            found.add(Light.NEON);
        } else if (tags.contains("night")) {
            found.add(Light.NIGHT);
        }
        if (tags.contains("underwater")) {
            found.add(Light.UNDERWATER);
        }
        if (tags.contains("day")) {
            found.add(Light.SOFT);
        }
        if (found.isEmpty() && (tags.contains("office") || tags.contains("home"))) {
            found.add(Light.INDOOR);
        }
        if (found.isEmpty() && (tags.contains("food") || tags.contains("animation"))) {
            found.add(Light.BRIGHT);
        }
        return found;
    }

    private static Mood mood(Set<String> tags, Light light, String musicMood) {
        String asked = musicMood == null ? "" : musicMood.toLowerCase(Locale.ROOT);
        if (tags.contains("fast") || asked.matches(".*\\b(upbeat|energetic|fast|driving|intense)\\b.*")) {
            return Mood.ENERGETIC;
        }
        if (asked.matches(".*\\b(playful|bouncy|cheerful|happy|quirky)\\b.*")) {
            return Mood.PLAYFUL;
        }
        boolean calmAsked = asked.matches(".*\\b(calm|ambient|slow|relaxing|soft|peaceful|gentle|quiet)\\b.*");
        Mood fromLight =
                switch (light) {
                    case GOLDEN -> Mood.WARM;
                    case DAWN, MIST, SOFT -> Mood.CALM;
                    case NEON -> Mood.MOODY;
                    case NIGHT, UNDERWATER -> Mood.DREAMY;
                    case INDOOR -> tags.contains("office") ? Mood.PLAYFUL : Mood.WARM;
                    case BRIGHT -> Mood.PLAYFUL;
                };
        // The operator's music mood wins over the picture's: motion speed follows the music.
        return calmAsked && (fromLight == Mood.PLAYFUL || fromLight == Mood.ENERGETIC) ? Mood.WARM : fromLight;
    }

    private static String music(String musicMood, Mood mood) {
        String base = PromptScrubber.scrub(musicMood == null ? "" : musicMood);
        if (base.isEmpty()) {
            base = mood.instruments;
        }
        String lower = base.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(base);
        for (String word : mood.words.split(", ")) {
            if (!lower.contains(word)) {
                out.append(", ").append(word);
            }
        }
        return out.toString();
    }

    private static String negative(Cast cast, ThemeReading theme, boolean animated) {
        Set<String> extra = new LinkedHashSet<>();
        if (animated) {
            extra.add("live action");
        } else {
            // The original AI WebTV showed vertical lines and crawling waves in realistic scenes.
            extra.add("vertical lines");
            extra.add("flicker");
            if (theme.looks().stream().anyMatch(l -> l.contains("photoreal") || l.contains("documentary"))) {
                extra.add("cartoon");
            }
        }
        if (cast.kinds().stream().anyMatch(k -> k == Kind.WALKER || k == Kind.FLYER || k == Kind.SWIMMER)) {
            extra.add("extra legs, deformed animal");
        }
        if (cast.kinds().contains(Kind.PERSON)) {
            extra.add("deformed hands, extra fingers");
        }
        if (!cast.avoid().isEmpty() && !(theme.mentionsFire() && cast.avoid().contains("fire"))) {
            extra.add(cast.avoid());
        }
        return BASE_NEGATIVE + (extra.isEmpty() ? "" : ", " + String.join(", ", extra));
    }

    private static ShotPlan shot(
            Sequence sequence,
            int inSequence,
            int index,
            long requestSeed,
            long seed,
            Set<String> taken,
            boolean continuity) {
        long shotSeed = PlanRandom.of(requestSeed, 1, index).nextLong() >>> 33;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            // a continuous sequence draws its framing and action once, from the sequence alone
            PlanRandom kept = continuity ? PlanRandom.of(seed, 3, sequence.id().hashCode()) : null;
            String prompt = prompt(sequence, inSequence, attempt, PlanRandom.of(seed, 2, index, attempt), kept);
            if (!taken.contains(PromptScrubber.normal(prompt))) {
                return new ShotPlan(
                        title(sequence), prompt, sequence.negative(), shotSeed, sequence.music(), sequence.id());
            }
        }
        throw new IllegalStateException("no fresh prompt after " + MAX_ATTEMPTS + " variations for shot " + index);
    }

    /** @param kept draws the framing and action every shot of a continuous sequence shares, or null */
    private static String prompt(Sequence sequence, int inSequence, int attempt, PlanRandom rng, PlanRandom kept) {
        Cast cast = sequence.cast();
        ShotType type = kept == null ? shotType(sequence, inSequence, attempt, rng) : shotType(sequence, 0, 0, kept);
        Act act = act(sequence, kept == null ? rng : kept);
        Screen screen = act.phrase().contains("camera") ? Screen.TOWARD : screen(sequence.axis(), rng);
        String speed = rng.pick(sequence.mood().speeds);

        String camera;
        if (type.aerial()) {
            camera = rng.pick(Lexicon.AERIAL_MOVES);
        } else if (act.travels() && rng.chance(60)) {
            camera = rng.pick(screen.followingMoves());
        } else {
            camera = rng.pick(Lexicon.STEADY_MOVES);
        }
        String lens = cast.macro() && type.phrase().equals("Close-up") ? "100mm macro lens" : rng.pick(type.lenses());
        String orientation = type.aerial() ? "seen from high above" : screen.orientation;

        String doing;
        if (act.travels()) {
            String where = act.hasPlace() ? "" : sequence.moving();
            doing = join(" ", travel(act.phrase(), speed, screen.path), where);
        } else {
            String where = act.hasPlace() ? "" : sequence.staying();
            doing = join(
                    ", ",
                    join(" ", act.phrase(), where),
                    cast.kind().gesture + " " + gestureSpeed(sequence.mood()) + " " + screen.turn);
        }
        String air = rng.chance(35) ? rng.pick(Lexicon.AIR.get(sequence.light())) : "";
        String film = rng.pick(Lexicon.FILM);

        String head = String.join(", ", type.phrase() + ", " + camera + ": " + cast.description(), orientation, doing);
        String tail = String.join(", ", sequence.lightPhrase(), sequence.palette(), lens, type.depth(), film);
        String body = head + ", " + (air.isEmpty() || words(head + tail) > 60 ? "" : air + ", ") + tail;
        String lowered = body.toLowerCase(Locale.ROOT);
        StringBuilder prompt = new StringBuilder(body);
        for (String look : sequence.looks()) {
            if (!lowered.contains(look.toLowerCase(Locale.ROOT))) {
                prompt.append(", ").append(look);
                lowered = lowered + " " + look.toLowerCase(Locale.ROOT);
            }
        }
        return fit(PromptScrubber.scrub(prompt.toString()));
    }

    /**
     * A sequence opens wide, then cuts to other framings in an order fixed per sequence, so that
     * consecutive shots differ; retries shift the order.
     */
    private static ShotType shotType(Sequence sequence, int inSequence, int attempt, PlanRandom rng) {
        if (inSequence == 0) {
            if (sequence.aerialFirst() && sequence.aerialAllowed() && attempt == 0) {
                return Lexicon.SHOT_TYPES.stream()
                        .filter(ShotType::aerial)
                        .findFirst()
                        .orElseThrow();
            }
            List<ShotType> opening = Lexicon.SHOT_TYPES.stream()
                    .filter(t -> t.establishing() && (!t.aerial() || sequence.aerialAllowed()))
                    .toList();
            return rng.pick(opening);
        }
        List<ShotType> order = sequence.cutOrder();
        int shift = attempt == 0 ? 0 : rng.nextInt(order.size());
        return order.get((inSequence - 1 + shift) % order.size());
    }

    private static int words(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    private static Act act(Sequence sequence, PlanRandom rng) {
        Cast cast = sequence.cast();
        List<Act> themed =
                sequence.themeActs().stream().map(TemplateDirector::themeAct).toList();
        if (!themed.isEmpty() && rng.chance(70)) {
            return rng.pick(themed);
        }
        boolean travel = rng.chance(sequence.topicActs().isEmpty() ? 60 : 40);
        List<Act> options = new ArrayList<>();
        if (travel) {
            // A theme that says how the subjects travel ("sailing a small boat") is the only way they do.
            List<Act> themedTravel = themed.stream().filter(Act::travels).toList();
            if (!themedTravel.isEmpty()) {
                return rng.pick(themedTravel);
            }
            List<String> pool =
                    !sequence.topicMoves().isEmpty() && rng.chance(50) ? sequence.topicMoves() : cast.moves();
            pool.forEach(m -> options.add(new Act(m, true, false)));
        } else {
            List<String> acts = !sequence.topicActs().isEmpty()
                    ? sequence.topicActs()
                    : cast.acts().isEmpty() ? cast.kind().acts : cast.acts();
            acts.forEach(a -> options.add(new Act(a, false, false)));
        }
        return rng.pick(options);
    }

    private static Act themeAct(String phrase) {
        List<String> words = ThemeReading.tokens(phrase);
        boolean travels = TRAVEL_VERBS.contains(words.getFirst());
        boolean hasPlace =
                !tagsOf(phrase).stream().filter(PLACE_TAGS::contains).toList().isEmpty();
        return new Act(phrase, travels, hasPlace);
    }

    private static List<ShotType> cutOrder(PlanRandom rng) {
        List<ShotType> order = new ArrayList<>(
                Lexicon.SHOT_TYPES.stream().filter(t -> !t.establishing()).toList());
        for (int i = order.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            order.set(j, order.set(i, order.get(j)));
        }
        return List.copyOf(order);
    }

    private static Set<String> tagsOf(String text) {
        Set<String> tags = new TreeSet<>();
        for (String w : ThemeReading.tokens(text)) {
            for (String f : ThemeReading.forms(w)) {
                String t = Lexicon.TAG_WORDS.get(f);
                if (t != null) {
                    tags.addAll(List.of(t.split(" ")));
                    break;
                }
            }
        }
        return tags;
    }

    /** Mostly the sequence's screen direction (continuity), sometimes toward or away from the lens. */
    private static Screen screen(Screen axis, PlanRandom rng) {
        int roll = rng.nextInt(10);
        if (roll < 4) {
            return axis;
        }
        if (roll < 6) {
            return axis == Screen.RIGHT ? Screen.DIAGONAL_RIGHT : Screen.DIAGONAL_LEFT;
        }
        return roll < 8 ? Screen.TOWARD : Screen.AWAY;
    }

    /** "walking down a candy street" + speed + path: the path goes right after the verb. */
    private static String travel(String phrase, String speed, String path) {
        String[] words = phrase.split("\\s+", 3);
        if (words.length >= 2 && PATH_WORDS.contains(words[1].toLowerCase(Locale.ROOT))) {
            return words[0] + " " + speed + " " + path + " " + phrase.substring(words[0].length() + 1);
        }
        return phrase + " " + speed + " " + path;
    }

    private static String gestureSpeed(Mood mood) {
        return switch (mood) {
            case ENERGETIC -> "quickly";
            case PLAYFUL -> "cheerfully";
            default -> "slowly";
        };
    }

    private static String title(Sequence sequence) {
        String title = join(" ", sequence.cast().title(), sequence.placeTitle());
        return title.length() <= 60 ? title : title.substring(0, 57).strip() + "...";
    }

    /** Time phrases the light does not already say ("at night" beside moonlight). */
    private static String timeTails(List<String> when, String lightPhrase) {
        String light = lightPhrase.toLowerCase(Locale.ROOT);
        return when.stream()
                .filter(w -> contentWords(w).stream().noneMatch(light::contains))
                .filter(w -> !w.toLowerCase(Locale.ROOT).contains("golden hour"))
                .collect(Collectors.joining(" "));
    }

    private static List<String> styleWords(List<String> style) {
        List<String> out = new ArrayList<>();
        for (String word : style) {
            String clean = PromptScrubber.scrub(word);
            String[] words = clean.split("\\s+");
            if (words.length > 6) {
                clean = String.join(" ", List.of(words).subList(0, 6));
            }
            if (!clean.isBlank() && out.size() < MAX_STYLE_WORDS && !out.contains(clean)) {
                out.add(clean);
            }
        }
        return List.copyOf(out);
    }

    private static boolean soundsAnimated(String style) {
        String s = style.toLowerCase(Locale.ROOT);
        return s.contains("anim") || s.contains("cartoon") || s.contains("anime") || s.contains("3d");
    }

    /** Longer than the limit only with absurd themes or styles: cut at a comma. */
    private static String fit(String prompt) {
        if (prompt.length() <= ShotPlan.MAX_PROMPT_CHARS) {
            return prompt;
        }
        String cut = prompt.substring(0, ShotPlan.MAX_PROMPT_CHARS);
        int comma = cut.lastIndexOf(',');
        return (comma > 0 ? cut.substring(0, comma) : cut).strip();
    }

    /** Splits {@code count} shots into sequences of two to four (one only when count is one). */
    static List<Integer> sequenceSizes(int count, long seed) {
        PlanRandom rng = PlanRandom.of(seed, 0);
        List<Integer> sizes = new ArrayList<>();
        int left = count;
        while (left > 0) {
            if (left == 1) {
                sizes.add(1);
                break;
            }
            List<Integer> options = new ArrayList<>();
            for (int n = 2; n <= Math.min(4, left); n++) {
                if (left - n != 1) {
                    options.add(n);
                }
            }
            int n = rng.pick(options);
            sizes.add(n);
            left -= n;
        }
        return List.copyOf(sizes);
    }

    private static Set<String> contentWords(String text) {
        Set<String> out = new TreeSet<>();
        for (String w : ThemeReading.tokens(text)) {
            if (w.length() >= 4) {
                out.add(w);
            }
        }
        return out;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String join(String separator, String a, String b) {
        if (a == null || a.isBlank()) {
            return b == null ? "" : b.strip();
        }
        if (b == null || b.isBlank()) {
            return a.strip();
        }
        return a.strip() + separator + b.strip();
    }
}
