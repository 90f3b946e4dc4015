package tv.latent.generate.procedural;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tv.latent.generate.internal.CueWords;
import tv.latent.generate.procedural.Scene.Kind;
import tv.latent.generate.procedural.Scene.Subject;

/**
 * The nouns the renderer can draw (each with its kind, colours, usual count and whether it has
 * a face) and the colour words it knows. "red fox" leans the fox towards red; "three horses"
 * and "a herd of horses" change the count. Stateless.
 */
final class SubjectCues {
    private SubjectCues() {}

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

    /** Up to three kinds of subject, in the order the prompt names them. */
    static List<Subject> subjects(CueWords w) {
        List<Subject> out = new ArrayList<>();
        List<String> words = w.words();
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < words.size() && out.size() < 3; i++) {
            for (Noun n : NOUNS) {
                if (!CueWords.matches(words.get(i), n.word) || !w.has(n.word)) {
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

    private static final Map<String, Rgb> COLOURS = Map.ofEntries(
            Map.entry("red", Rgb.hex(0xD42A20)),
            Map.entry("crimson", Rgb.hex(0xB0142A)),
            Map.entry("orange", Rgb.hex(0xF07A1A)),
            Map.entry("yellow", Rgb.hex(0xF4D030)),
            Map.entry("gold", Rgb.hex(0xE0B030)),
            Map.entry("green", Rgb.hex(0x3AA040)),
            Map.entry("emerald", Rgb.hex(0x1A9A5A)),
            Map.entry("teal", Rgb.hex(0x1A9A9A)),
            Map.entry("cyan", Rgb.hex(0x30D0E8)),
            Map.entry("turquoise", Rgb.hex(0x40D0C0)),
            Map.entry("blue", Rgb.hex(0x2A5AD0)),
            Map.entry("navy", Rgb.hex(0x1A2A6A)),
            Map.entry("purple", Rgb.hex(0x7A3AC0)),
            Map.entry("violet", Rgb.hex(0x8A4AE0)),
            Map.entry("magenta", Rgb.hex(0xE030B0)),
            Map.entry("pink", Rgb.hex(0xF08AB0)),
            Map.entry("white", Rgb.hex(0xF2F2F0)),
            Map.entry("silver", Rgb.hex(0xB8C0C8)),
            Map.entry("grey", Rgb.hex(0x808488)),
            Map.entry("gray", Rgb.hex(0x808488)),
            Map.entry("black", Rgb.hex(0x1A1A1E)),
            Map.entry("brown", Rgb.hex(0x6A4222)));

    /** Every colour word of the prompt that the negative prompt does not cancel, in order. */
    static List<Rgb> freeColours(CueWords w) {
        List<Rgb> out = new ArrayList<>();
        for (String word : w.words()) {
            Rgb c = COLOURS.get(word);
            if (c != null && w.has(word)) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }
}
