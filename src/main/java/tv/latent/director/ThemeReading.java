package tv.latent.director;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import tv.latent.director.Lexicon.Subject;

/**
 * What the template director takes from a free-text theme ("a panda and a black cat sailing a
 * small boat on a rushing river, fog"): the subjects it names, what they do, where and when,
 * look words, and tags that pick lexicon entries when the theme is vague ("wildlife").
 *
 * <p>A small chunker, no grammar: the first comma part is split at place prepositions and at
 * "-ing" words; later comma parts are sorted into activity, light, look, scene or attribute.
 *
 * @param named one list of fitting lexicon variants per subject the theme names, in order
 * @param otherSubject a subject the lexicon does not know ("green pumpkin"), or ""
 * @param where the theme's own place, with its preposition ("in misty mountains"), or ""
 * @param when time phrases that light words may not cover ("at night")
 * @param activities what the theme says the subjects do, cleaned
 * @param attributes extra details of the subject ("dressed as a firefighter")
 * @param scenery extra details of the place ("waves on rocks")
 * @param looks look and genre words for the end of the prompt
 */
record ThemeReading(
        SortedSet<String> tags,
        List<List<Subject>> named,
        String otherSubject,
        String where,
        List<String> when,
        List<String> activities,
        List<String> attributes,
        List<String> scenery,
        List<String> looks,
        boolean animated,
        boolean mentionsFire,
        boolean wantsAerial) {

    private static final Set<String> PREPOSITIONS = Set.of(
            "in", "at", "on", "over", "across", "through", "along", "under", "beneath", "inside", "near", "among",
            "above", "by", "during", "within");
    private static final Set<String> ARTICLES = Set.of("a", "an", "the", "his", "her", "their", "its", "our", "my");
    private static final Set<String> STOP = Set.of(
            "a", "an", "the", "of", "and", "or", "with", "for", "to", "from", "in", "at", "on", "into", "onto", "as",
            "is", "are", "its", "their", "his", "her", "some", "very", "lots", "many", "few", "all", "&", "-");
    private static final Set<String> ABSTRACT = Set.of(
            "life",
            "lives",
            "story",
            "stories",
            "tale",
            "tales",
            "adventure",
            "adventures",
            "world",
            "day",
            "days",
            "documentary",
            "documentaries",
            "film",
            "films",
            "footage",
            "show",
            "shows",
            "series",
            "channel",
            "scene",
            "scenes",
            "clip",
            "clips",
            "vlog",
            "character",
            "characters",
            "thing",
            "things",
            "moment",
            "moments",
            "diary",
            "flight",
            "journey",
            "trip",
            "job",
            "jobs",
            "work",
            "video",
            "videos",
            "compilation",
            "episode",
            "episodes",
            "photorealistic",
            "realistic",
            "cinematic",
            "3d",
            "animation",
            "animated",
            "cartoon",
            "style",
            "close-up",
            "closeup",
            "shot",
            "shots",
            "view",
            "cozy",
            "cosy",
            "friendly",
            "cute",
            "beautiful",
            "epic");
    private static final Set<String> PLACE_WORDS = Set.of(
            "mountain",
            "hill",
            "forest",
            "wood",
            "woodland",
            "jungle",
            "river",
            "lake",
            "sea",
            "ocean",
            "coast",
            "beach",
            "shore",
            "city",
            "street",
            "town",
            "village",
            "alley",
            "office",
            "room",
            "kitchen",
            "desert",
            "canyon",
            "savanna",
            "savannah",
            "meadow",
            "field",
            "garden",
            "island",
            "space",
            "moon",
            "mars",
            "farm",
            "reef",
            "arctic",
            "tundra",
            "valley",
            "harbour",
            "harbor",
            "market",
            "station",
            "rooftop",
            "café",
            "cafe",
            "library",
            "house",
            "castle",
            "park",
            "countryside",
            "planet",
            "underwater",
            "dunes",
            "dune");
    private static final Set<String> ON_PLACES = Set.of(
            "coast", "beach", "shore", "island", "moon", "mars", "river", "lake", "farm", "street", "rooftop",
            "planet");
    private static final Set<String> TIME_WORDS = Set.of(
            "night",
            "dawn",
            "dusk",
            "sunset",
            "sunrise",
            "noon",
            "midday",
            "morning",
            "evening",
            "golden",
            "hour",
            "twilight",
            "midnight",
            "afternoon",
            "daybreak",
            "nighttime",
            "daytime",
            "blue");
    private static final Set<String> LIGHT_WORDS = Set.of(
            "light",
            "lighting",
            "lit",
            "sun",
            "sunny",
            "sunlight",
            "sunshine",
            "rays",
            "glow",
            "backlight",
            "shadows",
            "fog",
            "foggy",
            "mist",
            "misty",
            "haze",
            "hazy",
            "moonlight",
            "neon",
            "overcast",
            "bright",
            "dark",
            "dim");
    private static final Set<String> LOOK_WORDS = Set.of(
            "style",
            "cinematic",
            "colours",
            "colors",
            "colour",
            "color",
            "composition",
            "grain",
            "animation",
            "photorealistic",
            "realistic",
            "look",
            "aesthetic",
            "render",
            "lens",
            "angle",
            "depth",
            "focus",
            "slow-motion",
            "motion",
            "anime",
            "film",
            "documentary",
            "detailed",
            "sharp",
            "wide",
            "close-up",
            "macro",
            "epic",
            "dramatic",
            "moody",
            "pastel",
            "vibrant",
            "rich");
    private static final Set<String> NOT_GERUNDS = Set.of(
            "morning",
            "evening",
            "building",
            "buildings",
            "ceiling",
            "clothing",
            "king",
            "ring",
            "spring",
            "string",
            "wing",
            "wings",
            "thing",
            "things",
            "something",
            "nothing",
            "everything",
            "painting",
            "lightning",
            "pudding",
            "darling",
            "sibling",
            "viking",
            "vikings",
            "ping",
            "sling",
            "swing",
            "sing",
            "bring",
            "sting",
            "lighting",
            "offering",
            "wedding",
            "stuffing",
            "icing",
            "frosting",
            "awning",
            "dumpling",
            "dumplings",
            "seedling",
            "duckling",
            "ducklings",
            "gosling",
            "earring",
            "sterling",
            "herring",
            "whiting");
    private static final Set<String> VAGUE_VERBS = Set.of("doing", "having", "being", "living", "getting", "making");
    private static final Set<String> FIRE_WORDS =
            Set.of("fire", "fires", "flame", "flames", "burning", "firefighter", "blaze");

    /** Reads a theme. Never fails: an empty or odd theme gives an empty reading. */
    static ThemeReading of(String theme) {
        String text = PromptScrubber.scrub(theme == null ? "" : theme).replaceAll("[\"“”()\\[\\]{}!?]", " ");
        List<String> parts = new ArrayList<>();
        for (String p : text.split("[,;]|\\.(?:\\s|$)|\\s+-\\s+")) {
            if (!p.isBlank()) {
                parts.add(p.strip());
            }
        }
        Builder b = new Builder();
        for (String word : tokens(text)) {
            b.tag(word);
        }
        if (text.toLowerCase(Locale.ROOT).contains("golden hour")) {
            b.tags.add("golden");
        }
        List<String> all = tokens(text);
        b.mentionsFire = all.stream().anyMatch(FIRE_WORDS::contains);
        b.documentary = all.contains("documentary");
        b.photoreal = all.contains("photorealistic") || all.contains("realistic") || all.contains("photoreal");
        if (!parts.isEmpty()) {
            b.readMain(parts.getFirst());
            parts.stream().skip(1).forEach(b::readExtra);
        }
        return b.build();
    }

    /** Lower-case words of a text, punctuation other than hyphens and apostrophes removed. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.toLowerCase(Locale.ROOT).split("\\s+")) {
            String w = bare(raw);
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static String bare(String raw) {
        return raw.toLowerCase(Locale.ROOT)
                .replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "")
                .replaceAll("'s$", "");
    }

    /** The singular forms a plural word may stand for, the word itself first. */
    static List<String> forms(String word) {
        List<String> out = new ArrayList<>(List.of(word));
        if (word.equals("mice")) {
            out.add("mouse");
        }
        if (word.endsWith("ies") && word.length() > 4) {
            out.add(word.substring(0, word.length() - 3) + "y");
        }
        if (word.endsWith("ves") && word.length() > 4) {
            out.add(word.substring(0, word.length() - 3) + "f");
        }
        if (word.endsWith("es") && word.length() > 3) {
            out.add(word.substring(0, word.length() - 2));
        }
        if (word.endsWith("s") && !word.endsWith("ss") && word.length() > 3) {
            out.add(word.substring(0, word.length() - 1));
        }
        return out;
    }

    private static boolean isGerund(String word) {
        return word.length() > 5 && word.endsWith("ing") && !NOT_GERUNDS.contains(word);
    }

    private static boolean anyForm(String word, Set<String> set) {
        return forms(word).stream().anyMatch(set::contains);
    }

    private static boolean known(String word) {
        return forms(word).stream()
                .anyMatch(f -> Lexicon.TAG_WORDS.containsKey(f) || PLACE_WORDS.contains(f) || TIME_WORDS.contains(f));
    }

    private static List<Subject> subjectsFor(String word) {
        for (String f : forms(word)) {
            List<Subject> found =
                    Lexicon.SUBJECTS.stream().filter(s -> s.keys().contains(f)).toList();
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static String capped(String phrase, int words) {
        String[] w = phrase.strip().split("\\s+");
        return String.join(" ", Arrays.asList(w).subList(0, Math.min(words, w.length)));
    }

    /** Mutable only while one theme is being read. */
    private static final class Builder {
        final SortedSet<String> tags = new TreeSet<>();
        final List<String> keys = new ArrayList<>();
        final List<String> adjectives = new ArrayList<>();
        String other = "";
        String where = "";
        final List<String> when = new ArrayList<>();
        final List<String> activities = new ArrayList<>();
        final List<String> attributes = new ArrayList<>();
        final List<String> scenery = new ArrayList<>();
        final List<String> looks = new ArrayList<>();
        boolean mentionsFire;
        boolean wantsAerial;

        void tag(String word) {
            for (String f : forms(word)) {
                String t = Lexicon.TAG_WORDS.get(f);
                if (t != null) {
                    tags.addAll(Arrays.asList(t.split(" ")));
                    return;
                }
            }
            if (word.equals("3d") || word.equals("anime") || word.equals("hand-painted")) {
                tags.add("animation");
            }
            if (word.equals("aerial")) {
                wantsAerial = true;
            }
        }

        void readMain(String part) {
            String main = part;
            // "aerial shot of X", "3D animation of X": the framing words go, X stays.
            int of = main.toLowerCase(Locale.ROOT).indexOf(" of ");
            if (of > 0) {
                List<String> before = tokens(main.substring(0, of));
                if (before.stream().anyMatch(w -> LOOK_WORDS.contains(w) || ABSTRACT.contains(w) || w.equals("aerial"))
                        && before.stream().noneMatch(w -> !subjectsFor(w).isEmpty())) {
                    main = main.substring(of + 4);
                }
            }
            List<List<String>> chunks = chunks(main);
            readHead(chunks.getFirst());
            for (List<String> chunk : chunks.subList(1, chunks.size())) {
                readChunk(chunk);
            }
        }

        /** Splits at place prepositions and at "-ing" verbs. */
        static List<List<String>> chunks(String text) {
            String[] words = text.strip().split("\\s+");
            List<List<String>> chunks = new ArrayList<>();
            List<String> current = new ArrayList<>();
            for (int i = 0; i < words.length; i++) {
                String w = bare(words[i]);
                boolean prepBreak = PREPOSITIONS.contains(w)
                        && i + 1 < words.length
                        && (ARTICLES.contains(bare(words[i + 1])) || known(bare(words[i + 1])));
                // "a rushing river", "on roaring flames": after an article or preposition it describes.
                boolean verbBreak = isGerund(w)
                        && (i == 0
                                || !ARTICLES.contains(bare(words[i - 1]))
                                        && !PREPOSITIONS.contains(bare(words[i - 1])));
                if ((prepBreak || verbBreak) && !current.isEmpty()) {
                    chunks.add(current);
                    current = new ArrayList<>();
                }
                current.add(words[i]);
            }
            if (!current.isEmpty()) {
                chunks.add(current);
            }
            return chunks;
        }

        void readHead(List<String> head) {
            List<String> low = head.stream().map(ThemeReading::bare).toList();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < low.size(); i++) {
                String w = low.get(i);
                if (!subjectsFor(w).isEmpty() && keys.size() < 3) {
                    keys.add(w);
                    adjectives.add(i > 0 ? low.get(i - 1) : "");
                    // "a llama firefighter": a role right after the animal.
                    if (i + 1 < low.size()
                            && !STOP.contains(low.get(i + 1))
                            && !ABSTRACT.contains(low.get(i + 1))
                            && !low.get(i + 1).endsWith("ing")
                            && !known(low.get(i + 1))
                            && subjectsFor(low.get(i + 1)).isEmpty()) {
                        attributes.add("dressed as a " + low.get(i + 1));
                        i++;
                    }
                    continue;
                }
                rest.add(w);
            }
            if (!keys.isEmpty()) {
                return;
            }
            String place = rest.stream()
                    .flatMap(w -> forms(w).stream())
                    .filter(PLACE_WORDS::contains)
                    .reduce((a, c) -> c)
                    .orElse("");
            if (!place.isEmpty()) {
                where = withArticle(ON_PLACES.contains(place) ? "on" : "in", head);
                return;
            }
            List<String> content = rest.stream()
                    .filter(w -> !STOP.contains(w) && !ABSTRACT.contains(w) && !known(w))
                    .toList();
            other = capped(String.join(" ", content), 5);
        }

        void readChunk(List<String> chunk) {
            String phrase = String.join(" ", chunk);
            List<String> low = chunk.stream().map(ThemeReading::bare).toList();
            String first = low.getFirst();
            if (isGerund(first)) {
                if (risky(low)) {
                    return;
                }
                if (!VAGUE_VERBS.contains(first)) {
                    activities.add(capped(phrase, 12));
                }
                return;
            }
            boolean placeLike = low.stream().skip(1).anyMatch(w -> forms(w).stream()
                    .anyMatch(f -> PLACE_WORDS.contains(f) || Lexicon.TAG_WORDS.containsKey(f)));
            boolean timeOnly = low.stream().skip(1).allMatch(w -> ARTICLES.contains(w) || TIME_WORDS.contains(w));
            if (risky(low)) {
                return;
            }
            if (timeOnly) {
                when.add(phrase);
            } else if (placeLike) {
                where = where.isEmpty() ? capped(phrase, 12) : where + " " + capped(phrase, 8);
            } else if (!activities.isEmpty()) {
                int last = activities.size() - 1;
                activities.set(last, capped(activities.get(last) + " " + phrase, 12));
            } else {
                attributes.add(capped(phrase, 8));
            }
        }

        void readExtra(String part) {
            List<String> low = tokens(part);
            if (low.isEmpty() || risky(low)) {
                return;
            }
            if (low.contains("camera")) {
                return; // the director chooses camera moves itself, with the subject's direction
            }
            if (isGerund(low.getFirst()) || PREPOSITIONS.contains(low.getFirst())) {
                chunks(part).forEach(this::readChunk);
            } else if (low.stream().anyMatch(w -> LIGHT_WORDS.contains(w) || TIME_WORDS.contains(w))) {
                return; // light and time become the director's light phrase
            } else if (low.stream().anyMatch(LOOK_WORDS::contains)) {
                if (!(low.size() == 1 && low.getFirst().equals("aerial"))) {
                    looks.add(capped(part, 6));
                }
            } else if (low.size() == 1 && low.getFirst().equals("aerial")) {
                wantsAerial = true;
            } else if (low.stream().anyMatch(w -> known(w) || PLACE_WORDS.contains(w))) {
                if (scenery.size() < 2) {
                    scenery.add(capped(part, 8));
                }
            } else if (attributes.size() < 3) {
                attributes.add(capped(part, 8));
            }
        }

        /** The original AI WebTV's failure cases: things falling onto nails, and the like. */
        private static boolean risky(List<String> words) {
            return words.contains("nails")
                    || words.contains("falling") && (words.contains("onto") || words.contains("on"))
                    || words.contains("rotating")
                    || words.contains("spinning")
                    || words.contains("orbiting");
        }

        private static String withArticle(String preposition, List<String> head) {
            List<String> words = new ArrayList<>(head);
            String first = bare(words.getFirst());
            String last = bare(words.getLast());
            if (!ARTICLES.contains(first) && !(last.endsWith("s") && !last.endsWith("ss"))) {
                words.addFirst(startsWithVowel(first) ? "an" : "a");
            }
            return preposition + " " + capped(String.join(" ", words), 8);
        }

        ThemeReading build() {
            List<List<Subject>> named = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                String adjective = adjectives.get(i);
                List<Subject> variants = subjectsFor(keys.get(i));
                int best =
                        variants.stream().mapToInt(s -> fit(s, adjective)).max().orElse(0);
                named.add(
                        variants.stream().filter(s -> fit(s, adjective) == best).toList());
            }
            boolean animated = tags.contains("animation");
            if (documentary) {
                looks.addFirst(tags.contains("wildlife") ? "nature documentary look" : "documentary look");
            }
            looks.removeIf(l -> l.equalsIgnoreCase("documentary"));
            if (animated && looks.stream().noneMatch(l -> l.contains("anim"))) {
                looks.add("3D animated film look");
            }
            if (photoreal && looks.stream().noneMatch(l -> l.contains("photoreal"))) {
                looks.addFirst("photorealistic");
            }
            return new ThemeReading(
                    Collections.unmodifiableSortedSet(tags),
                    List.copyOf(named),
                    other,
                    where,
                    List.copyOf(when),
                    List.copyOf(activities),
                    List.copyOf(attributes),
                    List.copyOf(scenery),
                    List.copyOf(looks.stream().distinct().toList()),
                    animated,
                    mentionsFire,
                    wantsAerial);
        }

        boolean documentary;
        boolean photoreal;

        private int fit(Subject s, String adjective) {
            int score = (int) s.tags().stream().filter(tags::contains).count();
            if (!adjective.isEmpty() && s.description().contains(adjective)) {
                score += 3;
            }
            for (String attribute : attributes) {
                for (String w : tokens(attribute)) {
                    if (w.length() > 3 && s.description().contains(w)) {
                        score += 2;
                    }
                }
            }
            return score;
        }
    }

    static boolean startsWithVowel(String word) {
        return !word.isEmpty() && "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0;
    }
}
