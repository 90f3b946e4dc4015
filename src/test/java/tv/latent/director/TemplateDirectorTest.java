package tv.latent.director;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tv.latent.director.Director.ChannelBrief;
import tv.latent.director.Director.Direction;
import tv.latent.director.Director.DirectorRequest;

class TemplateDirectorTest extends DirectorContract {
    /** Themes from the example prompts of the original AI WebTV's articles, plus the design's examples. */
    static final List<String> ORIGINAL_THEMES = List.of(
            "wildlife at golden hour",
            "wildlife documentary in misty mountains",
            "cozy cyberpunk city at night",
            "llamas doing office jobs",
            "photorealistic film of a llama working as a programmer, glasses and hoodie, staring at a screen of code"
                    + " in a cosy dim room, ambient light, cinematic",
            "3D animation of food characters building a pyramid with a banana on top, in a city of cotton-candy"
                    + " clouds and a chocolate road, Pixar style, rich colours",
            "close-up of a red fox staring into the camera, high-contrast ambient light, golden hour, film grain",
            "bees buzzing around a flower, sun rays, shallow depth of field, IMAX",
            "a brown bear catching a salmon in a fast river, low angle, splashing water, golden hour",
            "aerial shot of a calm California morning coast, waves on rocks, sunrise colours, drone",
            "a friendly broccoli character in a hat walking down a candy street of gingerbread houses, bright sun,"
                    + " Pixar style, wide angle",
            "an astronaut and a llama at dawn in misty mountains, vintage NASA suit, epic composition",
            "a panda and a black cat sailing a small boat on a rushing river, Studio Ghibli style, camera following"
                    + " in a pan, fog",
            "a green pumpkin falling onto a bed of nails, slow-motion burst",
            "a flight over the Grand Canyon at noon, camera rotating",
            "a llama firefighter spraying water on roaring flames in a chaotic city");

    private static final Pattern CAMERA_MOVE = Pattern.compile(
            "\\b(dolly (in|out)|push in|pulls? back|pans? (left|right)|tracks? alongside|tilts? (up|down)|rises|"
                    + "static camera|locked-off|handheld|follows|glides|drifts slowly sideways)\\b");
    private static final Pattern SHOT_TYPE = Pattern.compile("^(Wide|Aerial|Medium|Low-angle|Close-up|Long-lens)");
    private static final Pattern ORIENTATION =
            Pattern.compile("\\b(facing (left|right|the camera)|seen from (behind|high above))\\b");
    private static final Pattern DIRECTION = Pattern.compile(
            "\\b(from left to right|from right to left|toward the (camera|near (left|right))|away from the camera|"
                    + "to the (left|right))\\b");
    private static final Pattern SPEED = Pattern.compile(
            "\\b(slowly|gently|unhurriedly|lazily|briskly|quickly|cheerfully|at a [a-z]+ pace|at full speed|jauntily)\\b");
    private static final Pattern LIGHT =
            Pattern.compile("\\b(light|glow|sun|sunlight|daylight|backlight|moonlight|lamplight|sun rays)\\b");
    private static final Pattern LENS = Pattern.compile("\\b\\d{2,3}mm (wide-angle |telephoto |macro )?lens\\b");
    private static final Pattern FILM = Pattern.compile("\\bfilm grain\\b");
    /** Words models paint into the frame as lettering, or that invite artefacts. */
    private static final Pattern TEXT_BAIT = Pattern.compile(
            "(?i)\\b(imax|canon|nikon|sony|arri|alexa|red komodo|panavision|gopro|dji|hasselblad|leica|kodak|portra|"
                    + "eos|drones?|nasa|4k|8k|hdr|dslr|pixar|ghibli|disney|unreal engine|artstation)\\b");

    private static final Pattern FAILURE_PRONE =
            Pattern.compile("(?i)\\b(rotating|spinning|orbit(ing)?|360|nails|falling|crane shot)\\b");
    private static final Pattern DESCRIPTION =
            Pattern.compile(": (.+?), (in profile|in three-quarter view|facing the camera|seen from)");

    @Override
    Director director() {
        return new TemplateDirector();
    }

    private static Direction planFor(String theme, int count, long seed) {
        return new TemplateDirector().plan(aRequest(theme, count, seed));
    }

    private static List<ShotPlan> allOriginalThemeShots(int count, long seed) {
        List<ShotPlan> shots = new ArrayList<>();
        for (String theme : ORIGINAL_THEMES) {
            shots.addAll(planFor(theme, count, seed).shots());
        }
        return shots;
    }

    @Test
    void sameSeedGivesSamePlans() {
        for (String theme : ORIGINAL_THEMES) {
            DirectorRequest request = new DirectorRequest(aBrief(theme), List.of("an earlier prompt"), 9, 424242);
            Direction first = new TemplateDirector().plan(request);
            Direction second = new TemplateDirector().plan(request);
            assertThat(second).isEqualTo(first);
            assertThat(first.director()).isEqualTo("template");
            assertThat(first.note()).isEmpty();
        }
    }

    @Test
    void differentSeedsGiveDifferentPlans() {
        Set<List<String>> prompts = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            prompts.add(planFor("wildlife at golden hour", 3, seed).shots().stream()
                    .map(ShotPlan::prompt)
                    .toList());
        }
        assertThat(prompts).hasSize(50);
    }

    @Test
    void seedsDeriveFromRequestSeedAndShotIndex() {
        List<Long> a = planFor("wildlife at golden hour", 10, 77).shots().stream()
                .map(ShotPlan::seed)
                .toList();
        List<Long> b = planFor("cozy cyberpunk city at night", 10, 77).shots().stream()
                .map(ShotPlan::seed)
                .toList();
        List<Long> c = planFor("wildlife at golden hour", 10, 78).shots().stream()
                .map(ShotPlan::seed)
                .toList();
        assertThat(a).isEqualTo(b).doesNotHaveDuplicates().doesNotContainAnyElementsOf(c);
        assertThat(a).allSatisfy(s -> assertThat(s).isBetween(0L, Integer.MAX_VALUE + 0L));
    }

    @Test
    void promptsNameCameraMoveDirectionLightAndLens() {
        for (ShotPlan shot : allOriginalThemeShots(8, 2024)) {
            String p = shot.prompt();
            assertThat(p).as("shot type").containsPattern(SHOT_TYPE);
            assertThat(p).as("camera move").containsPattern(CAMERA_MOVE);
            assertThat(p).as("orientation").containsPattern(ORIENTATION);
            assertThat(p).as("direction").containsPattern(DIRECTION);
            assertThat(p).as("speed").containsPattern(SPEED);
            assertThat(p).as("light").containsPattern(LIGHT);
            assertThat(p).as("lens").containsPattern(LENS);
            assertThat(p).as("film words").containsPattern(FILM);
            assertThat(p).as("channel style").contains("cinematic", "35mm film");
        }
    }

    @Test
    void promptsStayAroundThirtyToSeventyWords() {
        List<ShotPlan> shots = allOriginalThemeShots(12, 99);
        double mean = shots.stream()
                .mapToInt(s -> s.prompt().split("\\s+").length)
                .average()
                .orElseThrow();
        assertThat(mean).isBetween(30.0, 75.0);
        assertThat(shots)
                .allSatisfy(s -> assertThat(s.prompt().split("\\s+").length).isBetween(25, 100));
    }

    @Test
    void characterKeepsFullDescriptionAcrossSequence() {
        for (String theme : ORIGINAL_THEMES) {
            Map<String, String> descriptionBySequence = new LinkedHashMap<>();
            for (ShotPlan shot : planFor(theme, 12, 7).shots()) {
                Matcher m = DESCRIPTION.matcher(shot.prompt());
                assertThat(m.find()).as("no description in %s", shot.prompt()).isTrue();
                String description = m.group(1);
                String earlier = descriptionBySequence.putIfAbsent(shot.sequence(), description);
                if (earlier != null) {
                    assertThat(description)
                            .as("theme %s, sequence %s", theme, shot.sequence())
                            .isEqualTo(earlier);
                }
            }
        }
    }

    @Test
    void namedCharacterAndColoursAreRepeatedWordForWord() {
        List<ShotPlan> shots = planFor("close-up of a red fox staring into the camera, golden hour", 8, 5)
                .shots();
        assertThat(shots)
                .allSatisfy(s -> assertThat(s.prompt()).contains("a red fox with a white-tipped tail and amber eyes"));
        // The palette, the colour words of the scene, is one per sequence too.
        Map<String, Set<String>> palettes = new LinkedHashMap<>();
        Pattern palette = Pattern.compile(", ((?:[a-z-]+ )+palette|palette of [a-z ,-]+?)(?=, \\d{2,3}mm)");
        for (ShotPlan s : shots) {
            Matcher m = palette.matcher(s.prompt());
            assertThat(m.find()).isTrue();
            palettes.computeIfAbsent(s.sequence(), k -> new HashSet<>()).add(m.group(1));
        }
        assertThat(palettes.values()).allSatisfy(set -> assertThat(set).hasSize(1));
    }

    @Test
    void pairsFromTheThemeStayTogetherInEveryShot() {
        for (ShotPlan shot : planFor("a panda and a black cat sailing a small boat on a rushing river", 8, 1)
                .shots()) {
            assertThat(shot.prompt()).contains("panda", "black cat", "rushing river");
            assertThat(shot.prompt()).doesNotContain("ambling", "walking"); // nobody walks on the river
        }
    }

    @Test
    void avoidsWordsModelsDrawAsText() {
        ChannelBrief brief = new ChannelBrief(
                "c",
                "Coast",
                "drone footage of a calm coast shot on a Canon EOS R5, IMAX, 8K",
                List.of("IMAX", "shot on ARRI Alexa Mini", "Kodak Portra 400", "cinematic"),
                "ambient");
        List<ShotPlan> shots = new TemplateDirector()
                .plan(new DirectorRequest(brief, List.of(), 12, 3))
                .shots();
        assertThat(shots).allSatisfy(s -> {
            assertThat(s.prompt()).doesNotContainPattern(TEXT_BAIT).contains("cinematic");
            assertThat(s.title()).doesNotContainPattern(TEXT_BAIT);
        });
        assertThat(shots).anySatisfy(s -> assertThat(s.prompt()).startsWith("Aerial shot"));
        assertThat(allOriginalThemeShots(8, 31))
                .allSatisfy(s -> assertThat(s.prompt()).doesNotContainPattern(TEXT_BAIT));
    }

    @Test
    void avoidsFailureProneSubjectsAndMoves() {
        assertThat(allOriginalThemeShots(8, 17))
                .allSatisfy(s -> assertThat(s.prompt()).doesNotContainPattern(FAILURE_PRONE));
        assertThat(planFor("a green pumpkin falling onto a bed of nails", 4, 1).shots())
                .allSatisfy(
                        s -> assertThat(s.prompt()).contains("green pumpkin").doesNotContain("nails", "falling"));
    }

    @Test
    void llamasAreDescribedAsAnimalsAndFlamesKeptOut() {
        for (ShotPlan s : planFor("llamas doing office jobs", 8, 2).shots()) {
            assertThat(s.prompt())
                    .contains("long-necked woolly llama")
                    .doesNotContainPattern("(?i)\\b(flames?|fire)\\b");
            assertThat(s.negativePrompt()).contains("flames");
        }
        // A theme that wants fire keeps it out of the negative prompt.
        for (ShotPlan s : planFor("a llama firefighter spraying water on roaring flames", 4, 2)
                .shots()) {
            assertThat(s.negativePrompt()).doesNotContain("flames");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "wildlife documentary in misty mountains|misty mountains|documentary",
                "cozy cyberpunk city at night|cozy cyberpunk city|at night",
                "llamas doing office jobs|llama|office",
                "a brown bear catching a salmon in a fast river, golden hour|brown bear|fast river|golden hour",
                "a panda and a black cat sailing a small boat on a rushing river|panda|black cat|rushing river",
                "an astronaut and a llama at dawn in misty mountains|astronaut|llama|misty mountains|dawn",
                "a friendly broccoli character in a hat walking down a candy street of gingerbread houses|broccoli|candy",
                "wildlife at golden hour|golden hour",
                "a flight over the Grand Canyon at noon|Grand Canyon"
            })
    void themeWordsShowUpInPrompts(String themeAndWords) {
        String[] parts = themeAndWords.split("\\|");
        for (ShotPlan shot : planFor(parts[0], 8, 21).shots()) {
            for (String word : List.of(parts).subList(1, parts.length)) {
                assertThat(shot.prompt().toLowerCase()).as(shot.prompt()).contains(word.toLowerCase());
            }
        }
    }

    @Test
    void themeActionsShowUpInSomePrompts() {
        assertThat(planFor("a brown bear catching a salmon in a fast river", 8, 4)
                        .shots())
                .anySatisfy(s -> assertThat(s.prompt()).contains("catching a salmon"));
        assertThat(planFor("a panda and a black cat sailing a small boat on a rushing river", 8, 4)
                        .shots())
                .anySatisfy(s -> assertThat(s.prompt()).contains("sailing a small boat"));
    }

    @Test
    void negativePromptHasDefaultsAndThemeAdditions() {
        String base = "text, watermark, logo, caption, blurry, distorted, low quality, nsfw";
        assertThat(planFor("wildlife at golden hour", 4, 1).shots())
                .allSatisfy(s ->
                        assertThat(s.negativePrompt()).startsWith(base).contains("deformed animal", "vertical lines"));
        assertThat(planFor("3D animation of food characters", 4, 1).shots())
                .allSatisfy(s -> assertThat(s.negativePrompt()).startsWith(base).contains("live action"));
    }

    @Test
    void musicFollowsChannelMoodAndStaysWithinSequence() {
        List<ShotPlan> shots =
                planFor("wildlife documentary in misty mountains", 12, 8).shots();
        assertThat(shots).allSatisfy(s -> assertThat(s.musicPrompt())
                .startsWith("calm ambient piano")
                .contains("tempo"));
        Map<String, Set<String>> music = new LinkedHashMap<>();
        shots.forEach(
                s -> music.computeIfAbsent(s.sequence(), k -> new HashSet<>()).add(s.musicPrompt()));
        assertThat(music.values()).allSatisfy(set -> assertThat(set).hasSize(1));

        ChannelBrief upbeat =
                new ChannelBrief("n", "Neon", "cozy cyberpunk city at night", List.of(), "upbeat synthwave");
        assertThat(new TemplateDirector()
                        .plan(new DirectorRequest(upbeat, List.of(), 4, 1))
                        .shots())
                .allSatisfy(s -> assertThat(s.musicPrompt())
                        .startsWith("upbeat synthwave")
                        .contains("energetic"));
        ChannelBrief silent = new ChannelBrief("q", "Quiet", "wildlife at golden hour", List.of(), "");
        assertThat(new TemplateDirector()
                        .plan(new DirectorRequest(silent, List.of(), 4, 1))
                        .shots())
                .allSatisfy(s -> assertThat(s.musicPrompt()).isNotBlank().contains("tempo"));
    }

    @Test
    void titlesAreShortAndNameTheSubject() {
        assertThat(planFor("close-up of a red fox, golden hour", 4, 1).shots())
                .allSatisfy(s -> assertThat(s.title()).isEqualTo("Red fox at golden hour"));
        assertThat(allOriginalThemeShots(4, 1))
                .allSatisfy(s -> assertThat(s.title().length()).isBetween(3, 60));
    }

    @Test
    void oddThemesStillGivePlans() {
        String huge = "a very long theme about rivers and foxes ".repeat(150);
        List<String> manyStyles = IntStream.range(0, 40)
                .mapToObj(i -> "style word number " + i + " ".repeat(i))
                .toList();
        for (String theme : new String[] {"", "   ", "!!!", "???.,;", huge, "ciudad nocturna con llamas", "a"}) {
            ChannelBrief brief = new ChannelBrief("x", "X", theme, manyStyles, null);
            List<ShotPlan> shots = new TemplateDirector()
                    .plan(new DirectorRequest(brief, List.of(), 6, 9))
                    .shots();
            assertThat(shots).hasSize(6).allSatisfy(s -> {
                assertThat(s.prompt())
                        .hasSizeLessThanOrEqualTo(ShotPlan.MAX_PROMPT_CHARS)
                        .containsPattern(LENS);
                assertThat(s.musicPrompt()).isNotBlank();
            });
        }
    }

    @Test
    void sequenceSizesCoverTheCountInRunsOfTwoToFour() {
        for (int count = 1; count <= 100; count++) {
            for (long seed = 0; seed < 5; seed++) {
                List<Integer> sizes = TemplateDirector.sequenceSizes(count, seed);
                assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(count);
                if (count > 1) {
                    assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(2, 4));
                }
            }
        }
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        TemplateDirector shared = new TemplateDirector();
        DirectorRequest request = aRequest("a panda and a black cat sailing a small boat on a rushing river", 20, 5);
        Direction expected = shared.plan(request);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Direction>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> shared.plan(request)));
            }
            for (Future<Direction> f : results) {
                assertThat(f.get()).isEqualTo(expected);
            }
        }
    }

    @Test
    void anAdaptedSuggestionIsFramedLitAndStyledLikeTheChannelsShots() {
        ChannelBrief brief = new ChannelBrief(
                "wild", "Wild Hours", "wildlife in misty mountains", List.of("cinematic", "35mm film"), "calm piano");
        Direction direction = new TemplateDirector()
                .adapt(new Director.AdaptRequest(brief, "a red fox juggling glowing lanterns", List.of(), 11));
        ShotPlan shot = direction.shots().getFirst();
        assertThat(shot.prompt())
                .contains(": a red fox juggling glowing lanterns, ")
                .contains("mist")
                .contains("cinematic", "35mm film")
                .containsPattern("lens");
        assertThat(shot.prompt().split(":")[0]).matches("[A-Z][a-z -]+ shot, .+|Close-up, .+");
        assertThat(shot.musicPrompt()).contains("calm piano");
        assertThat(shot.title()).isEqualTo("A red fox juggling glowing lanterns");
        assertThat(shot.sequence()).isEqualTo("viewer");
    }

    @Test
    void theSuggestionsOwnLightWinsOverTheChannels() {
        ChannelBrief brief = aBrief("wildlife in misty mountains");
        ShotPlan shot = new TemplateDirector()
                .adapt(new Director.AdaptRequest(brief, "a lighthouse under neon lights at night", List.of(), 2))
                .shots()
                .getFirst();
        assertThat(shot.prompt()).containsAnyOf("neon", "moonlight", "lamplight");
    }

    @Test
    void adaptingIsDeterministicBySeedAndAvoidsRecentPrompts() {
        ChannelBrief brief = aBrief("wildlife at golden hour");
        TemplateDirector director = new TemplateDirector();
        var request = new Director.AdaptRequest(brief, "two otters holding hands", List.of(), 5);
        String first = director.adapt(request).shots().getFirst().prompt();
        assertThat(director.adapt(request).shots().getFirst().prompt()).isEqualTo(first);
        String again = director.adapt(new Director.AdaptRequest(brief, "two otters holding hands", List.of(first), 5))
                .shots()
                .getFirst()
                .prompt();
        assertThat(again).isNotEqualTo(first).contains("two otters holding hands");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "🦊🦊🦊 fox",
                "ÇA VA? un renard qui danse",
                "狐狸在雪中跳舞",
                "a a a a a a a a a a a a a a a a a a a",
                "a drone shot of a castle, 8k, trending on artstation",
                "' OR 1=1; DROP TABLE clips; --",
                "${jndi:ldap://x} a cat"
            })
    void anyCleanedSuggestionAdaptsWithoutFailing(String suggestion) {
        ShotPlan shot = new TemplateDirector()
                .adapt(new Director.AdaptRequest(aBrief("wildlife"), suggestion, List.of(), 1))
                .shots()
                .getFirst();
        assertThat(shot.prompt()).isNotBlank().doesNotContain("8k", "artstation", "{", "}");
    }
}
