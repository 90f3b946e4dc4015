package tv.latent.generate.music;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tv.latent.generate.internal.CueWords;
import tv.latent.generate.internal.EngineRandom;

/**
 * A piece of music as the procedural scorer composes it from a music prompt and a seed: mood
 * words choose tempo, mode and instruments; the seed chooses the key, the chord progression and
 * the melody (phrases of a random walk on the scale, chord tones on strong beats, rests, and a
 * final tonic). Immutable.
 *
 * @param scale intervals of the melody's scale, in semitones from the tonic
 * @param harmony the seven-note mode the chords are stacked in
 * @param chords one chord (MIDI notes) per harmonic slot, in order
 * @param slotSeconds length of one harmonic slot (a bar, or half a bar at slow tempi)
 */
record MusicPlan(
        String mood,
        int tempo,
        int tonic,
        String scaleName,
        int[] scale,
        int[] harmony,
        List<int[]> chords,
        List<Integer> degrees,
        double slotSeconds,
        List<Note> melody,
        List<Note> bass,
        List<Hit> drums,
        Set<Instrument> instruments,
        double swing,
        double reverb,
        double brightness,
        double padAttack) {

    enum Instrument {
        PAD,
        PLUCK,
        BELL,
        BASS,
        DRUMS
    }

    enum Drum {
        KICK,
        SNARE,
        HAT
    }

    /** A note: start and length in seconds, MIDI pitch, velocity 0..1. */
    record Note(double start, double length, int midi, float velocity) {}

    /** A drum hit at a time, with a velocity. */
    record Hit(Drum drum, double time, float velocity) {}

    private static final String[] NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

    private static final int[] IONIAN = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] AEOLIAN = {0, 2, 3, 5, 7, 8, 10};
    private static final int[] DORIAN = {0, 2, 3, 5, 7, 9, 10};
    private static final int[] PHRYGIAN = {0, 1, 3, 5, 7, 8, 10};
    private static final int[] LYDIAN = {0, 2, 4, 6, 7, 9, 11};
    private static final int[] MAJOR_PENTATONIC = {0, 2, 4, 7, 9};
    private static final int[] MINOR_PENTATONIC = {0, 3, 5, 7, 10};

    /** Progressions as scale degrees (0 = tonic), per mode family. */
    private static final int[][] MAJOR_PROGRESSIONS = {
        {0, 4, 5, 3}, {0, 5, 3, 4}, {0, 3, 4, 3}, {0, 3, 5, 4}, {0, 2, 3, 4}
    };

    private static final int[][] MINOR_PROGRESSIONS = {
        {0, 5, 2, 6}, {0, 3, 5, 4}, {0, 6, 5, 6}, {0, 3, 6, 2}, {0, 5, 3, 4}
    };
    private static final int[][] DORIAN_PROGRESSIONS = {{0, 3, 0, 3}, {0, 3, 6, 3}, {0, 6, 3, 0}};
    private static final int[][] PHRYGIAN_PROGRESSIONS = {{0, 1, 0, 6}, {0, 1, 6, 1}, {0, 6, 1, 0}};

    /** Rhythms of one bar in eighths: 1 starts a note, 0 holds it, -1 rests. */
    private static final int[][] RHYTHMS = {
        {1, 0, 1, 0, 1, 0, 0, 0}, {1, 1, 1, 0, 1, -1, 1, 0}, {1, 0, 0, 1, 0, 0, 1, 0}, {1, -1, 1, 1, 1, 0, -1, -1},
        {1, 0, 1, 1, 0, 1, 1, 0}, {-1, -1, 1, 1, 1, 0, 1, 0}, {1, 0, 0, 0, 1, 0, 1, 1}, {1, 1, 0, 1, 1, 0, 0, 0}
    };

    static MusicPlan compose(String prompt, double seconds, long seed) {
        CueWords w = CueWords.of(prompt);
        EngineRandom rng = new EngineRandom(seed ^ w.hash() ^ 0x6D75736963L);
        String mood;
        int tempo;
        Set<Instrument> instruments = EnumSet.of(Instrument.PAD, Instrument.BASS);
        double swing = 0;
        double reverb;
        double brightness;
        double padAttack;
        boolean extended = false;
        if (w.has("lofi", "lo fi", "jazz*", "chill*", "hip hop", "hiphop", "smooth", "lounge", "bossa*")) {
            mood = "lofi";
            tempo = 78 + rng.below(15);
            instruments.addAll(List.of(Instrument.BELL, Instrument.DRUMS));
            swing = 0.16;
            reverb = 0.22;
            brightness = 0.45;
            padAttack = 0.25;
            extended = true;
        } else if (w.has(
                "upbeat",
                "energetic",
                "energy",
                "fast",
                "danc*",
                "electronic",
                "driving",
                "action",
                "party",
                "exciting",
                "techno",
                "edm",
                "pop",
                "rock",
                "running",
                "chase",
                "race",
                "racing",
                "intense",
                "powerful")) {
            mood = "energetic";
            tempo = 120 + rng.below(21);
            instruments.addAll(List.of(Instrument.PLUCK, Instrument.DRUMS));
            reverb = 0.15;
            brightness = 0.85;
            padAttack = 0.05;
        } else if (w.has(
                "epic",
                "cinematic",
                "orchestra*",
                "heroic",
                "adventur*",
                "dramatic",
                "trailer",
                "grand",
                "majestic",
                "triumph*",
                "battle")) {
            mood = "epic";
            tempo = 90 + rng.below(21);
            instruments.addAll(List.of(Instrument.BELL, Instrument.PLUCK, Instrument.DRUMS));
            reverb = 0.32;
            brightness = 0.7;
            padAttack = 0.35;
        } else if (w.has(
                "calm",
                "ambient",
                "peaceful",
                "relax*",
                "gentle",
                "soft",
                "dream*",
                "meditat*",
                "serene",
                "slow",
                "quiet",
                "sleep*",
                "tranquil",
                "sooth*",
                "mellow",
                "lullaby",
                "drone")) {
            mood = "calm";
            tempo = 70 + rng.below(16);
            instruments.add(Instrument.BELL);
            reverb = 0.38;
            brightness = 0.35;
            padAttack = 0.8;
        } else {
            mood = "moderate";
            tempo = 95 + rng.below(16);
            instruments.addAll(List.of(Instrument.PLUCK, Instrument.DRUMS));
            reverb = 0.22;
            brightness = 0.6;
            padAttack = 0.2;
        }
        if (w.has("no drums", "without drums", "no percussion")) {
            instruments.remove(Instrument.DRUMS);
        }

        String scaleName;
        int[] harmony;
        int[] scale;
        int[][] progressions;
        if (w.has(
                "mysterious",
                "mystery",
                "eerie",
                "suspense*",
                "strange",
                "haunting",
                "spooky",
                "enigmatic",
                "exotic")) {
            boolean phrygian = !mood.equals("lofi");
            scaleName = phrygian ? "phrygian" : "dorian";
            harmony = phrygian ? PHRYGIAN : DORIAN;
            progressions = phrygian ? PHRYGIAN_PROGRESSIONS : DORIAN_PROGRESSIONS;
        } else if (w.has(
                "dark",
                "sad",
                "melanch*",
                "somber",
                "sombre",
                "ominous",
                "tragic",
                "minor",
                "gloomy",
                "lonely",
                "tense",
                "horror",
                "grief",
                "mournful",
                "brooding",
                "night")) {
            scaleName = "minor";
            harmony = AEOLIAN;
            progressions = MINOR_PROGRESSIONS;
        } else if (w.has("dream*", "magical", "wonder", "floating", "ethereal")) {
            scaleName = "lydian";
            harmony = LYDIAN;
            progressions = MAJOR_PROGRESSIONS;
        } else if (w.has(
                "happy",
                "bright",
                "cheerful",
                "joyful",
                "joy",
                "sunny",
                "playful",
                "uplifting",
                "hopeful",
                "warm",
                "major",
                "fun",
                "whimsical",
                "cute",
                "folk")) {
            scaleName = "major";
            harmony = IONIAN;
            progressions = MAJOR_PROGRESSIONS;
        } else if (mood.equals("lofi")) {
            scaleName = "dorian";
            harmony = DORIAN;
            progressions = DORIAN_PROGRESSIONS;
        } else if (mood.equals("epic")) {
            scaleName = "minor";
            harmony = AEOLIAN;
            progressions = MINOR_PROGRESSIONS;
        } else {
            scaleName = "major";
            harmony = IONIAN;
            progressions = MAJOR_PROGRESSIONS;
        }
        scale = harmony;
        if (w.has(
                        "pentatonic",
                        "folk",
                        "asian",
                        "simple",
                        "whimsical",
                        "cute",
                        "children*",
                        "nursery",
                        "calm",
                        "ambient")
                && (scaleName.equals("major") || scaleName.equals("minor"))) {
            scale = scaleName.equals("major") ? MAJOR_PENTATONIC : MINOR_PENTATONIC;
            scaleName = scaleName + " pentatonic";
        }

        int tonic = 55 + rng.below(12); // G3..F#4: the pad's register; melody an octave up, bass two down
        double beat = 60.0 / tempo;
        double bar = beat * 4;
        double slot = bar > 2.2 ? bar / 2 : bar;
        int beatsPerSlot = (int) Math.round(slot / beat);
        int slots = Math.max(1, (int) Math.ceil(seconds / slot));
        int[] progression = progressions[rng.below(progressions.length)];
        List<Integer> degrees = new ArrayList<>();
        List<int[]> chords = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            int degree = i == slots - 1 && slots > 1 ? 0 : progression[i % progression.length];
            degrees.add(degree);
            chords.add(chord(harmony, tonic, degree, extended));
        }

        List<Note> melody = melody(rng, scale, tonic + 12, chords, slot, beat, beatsPerSlot, seconds, mood, swing);
        List<Note> bass = new ArrayList<>();
        List<Hit> drums = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            double start = i * slot;
            int root = chords.get(i)[0];
            while (root >= 48) {
                root -= 12;
            }
            int fifth = root + 7;
            for (int b = 0; b < beatsPerSlot; b++) {
                double t = start + b * beat;
                switch (mood) {
                    case "energetic" -> {
                        bass.add(new Note(t, beat * 0.45, root, 0.9f));
                        bass.add(new Note(t + beat / 2, beat * 0.4, b % 2 == 1 ? fifth : root, 0.7f));
                    }
                    case "calm" -> {
                        if (b == 0) {
                            bass.add(new Note(t, slot * 0.98, root, 0.6f));
                        }
                    }
                    default -> {
                        if (b % 2 == 0) {
                            bass.add(new Note(t, beat * 1.6, b == 2 ? fifth : root, 0.8f));
                        } else if (mood.equals("lofi") && rng.chance(0.5)) {
                            bass.add(new Note(t + beat * (0.5 + swing), beat * 0.4, root + 12 - 2, 0.5f));
                        }
                    }
                }
                if (instruments.contains(Instrument.DRUMS)) {
                    int beatInBar = (int) Math.round((t % bar) / beat);
                    drums(drums, mood, t, beat, beatInBar, swing, rng);
                }
            }
        }
        return new MusicPlan(
                mood,
                tempo,
                tonic,
                scaleName,
                scale,
                harmony,
                List.copyOf(chords),
                List.copyOf(degrees),
                slot,
                List.copyOf(melody),
                List.copyOf(bass),
                List.copyOf(drums),
                Set.copyOf(instruments),
                swing,
                reverb,
                brightness,
                padAttack);
    }

    private static int[] chord(int[] mode, int tonic, int degree, boolean extended) {
        int n = extended ? 4 : 3;
        int[] notes = new int[n];
        for (int k = 0; k < n; k++) {
            int step = degree + 2 * k;
            notes[k] = tonic + mode[step % 7] + 12 * (step / 7);
        }
        // keep chords in one octave-and-a-half around the tonic, so the progression does not climb
        if (notes[0] - tonic > 6) {
            for (int k = 0; k < n; k++) {
                notes[k] -= 12;
            }
        }
        return notes;
    }

    private static List<Note> melody(
            EngineRandom rng,
            int[] scale,
            int base,
            List<int[]> chords,
            double slot,
            double beat,
            int beatsPerSlot,
            double seconds,
            String mood,
            double swing) {
        List<Note> notes = new ArrayList<>();
        int size = scale.length;
        int index = size; // scale step counted from base - one octave, so the walk can go below the tonic
        double eighth = beat / 2;
        int eighthsPerSlot = beatsPerSlot * 2;
        int[] rhythm = RHYTHMS[rng.below(RHYTHMS.length)];
        double sparse = mood.equals("calm") ? 0.35 : mood.equals("epic") ? 0.15 : 0.05;
        int total = (int) Math.ceil(seconds / eighth);
        for (int e = 0; e < total; e++) {
            if (e % 16 == 0) {
                rhythm = RHYTHMS[rng.below(RHYTHMS.length)]; // a new phrase every two bars
            }
            int slotIndex = Math.min(chords.size() - 1, e / eighthsPerSlot);
            int step = rhythm[e % 8];
            boolean last = (e + 1) * eighth >= seconds - beat * 1.5;
            if (last) {
                // resolve to the tonic and hold it to the end
                double start = e * eighth;
                notes.add(new Note(start, Math.max(eighth, seconds - start), base, 0.9f));
                break;
            }
            if (step != 1 || rng.chance(sparse)) {
                if (step == 0 && !notes.isEmpty()) {
                    Note prev = notes.get(notes.size() - 1);
                    if (Math.abs(prev.start() + prev.length() - e * eighth) < 1e-9) {
                        notes.set(
                                notes.size() - 1,
                                new Note(prev.start(), prev.length() + eighth, prev.midi(), prev.velocity()));
                    }
                }
                continue;
            }
            int move = new int[] {-2, -1, -1, 0, 1, 1, 2, 3, -3}[rng.below(9)];
            index = Math.max(2, Math.min(2 * size + 2, index + move));
            if (e % 4 == 0) {
                index = nearestChordTone(scale, base, index, chords.get(slotIndex));
            }
            int midi = base - 12 + scale[index % size] + 12 * (index / size);
            float velocity = (float) (e % 4 == 0 ? rng.range(0.8, 1) : rng.range(0.55, 0.8));
            double start = e * eighth + (e % 2 == 1 ? swing * beat : 0);
            notes.add(new Note(start, eighth, midi, velocity));
        }
        return notes;
    }

    private static int nearestChordTone(int[] scale, int base, int index, int[] chord) {
        int best = index;
        int bestDistance = Integer.MAX_VALUE;
        for (int candidate = index - 2; candidate <= index + 2; candidate++) {
            if (candidate < 0) {
                continue;
            }
            int pc = Math.floorMod(base + scale[candidate % scale.length], 12);
            for (int note : chord) {
                if (Math.floorMod(note, 12) == pc && Math.abs(candidate - index) < bestDistance) {
                    best = candidate;
                    bestDistance = Math.abs(candidate - index);
                }
            }
        }
        return best;
    }

    private static void drums(
            List<Hit> hits, String mood, double t, double beat, int beatInBar, double swing, EngineRandom rng) {
        switch (mood) {
            case "energetic" -> {
                hits.add(new Hit(Drum.KICK, t, 1f));
                if (beatInBar % 2 == 1) {
                    hits.add(new Hit(Drum.SNARE, t, 0.9f));
                }
                hits.add(new Hit(Drum.HAT, t + beat / 2, 0.7f));
                hits.add(new Hit(Drum.HAT, t, 0.35f));
            }
            case "epic" -> {
                if (beatInBar == 0 || beatInBar == 2) {
                    hits.add(new Hit(Drum.KICK, t, 1f));
                }
                if (beatInBar == 3) {
                    hits.add(new Hit(Drum.KICK, t + beat / 2, 0.7f));
                    hits.add(new Hit(Drum.SNARE, t, 0.6f));
                }
            }
            case "lofi" -> {
                if (beatInBar == 0 || beatInBar == 2 && rng.chance(0.5)) {
                    hits.add(new Hit(Drum.KICK, t, 0.85f));
                }
                if (beatInBar == 2 || beatInBar == 3 && rng.chance(0.3)) {
                    hits.add(new Hit(Drum.KICK, t + beat * (0.5 + swing), 0.6f));
                }
                if (beatInBar % 2 == 1) {
                    hits.add(new Hit(Drum.SNARE, t, 0.6f));
                }
                hits.add(new Hit(Drum.HAT, t, 0.4f));
                hits.add(new Hit(Drum.HAT, t + beat * (0.5 + swing), 0.3f));
            }
            default -> {
                if (beatInBar % 2 == 0) {
                    hits.add(new Hit(Drum.KICK, t, 0.9f));
                } else {
                    hits.add(new Hit(Drum.SNARE, t, 0.7f));
                }
                hits.add(new Hit(Drum.HAT, t + beat / 2, 0.4f));
            }
        }
    }

    /** "D minor", "F# dorian". */
    String key() {
        return NAMES[Math.floorMod(tonic, 12)] + " " + scaleName;
    }

    String instrumentList() {
        return instruments.stream()
                .sorted()
                .map(i -> i.name().toLowerCase(Locale.ROOT))
                .reduce((a, b) -> a + "," + b)
                .orElse("");
    }
}
