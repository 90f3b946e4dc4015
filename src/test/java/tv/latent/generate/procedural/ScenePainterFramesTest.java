package tv.latent.generate.procedural;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tv.latent.generate.internal.CueWords;

/**
 * The painter's frames, pinned: for each prompt and seed, the SHA-256 of the raw RGB of a few
 * frames must equal the value recorded when the painter was one file. A refactoring of the
 * painter that changes a single pixel of a single frame fails here.
 *
 * <p>The prompts between them reach every light, place, subject kind, camera move, look and
 * effect the scene reader knows, at a small size, plus one render at the Zeroscope size.
 */
class ScenePainterFramesTest {
    private static final int FPS = 8;
    private static final int[] FRAMES = {0, 7, 23};

    record Case(String prompt, String negative, long seed, int width, int height, String sha256) {
        @Override
        public String toString() {
            return prompt + (negative.isEmpty() ? "" : " (not: " + negative + ")") + ", seed " + seed + ", " + width
                    + "x" + height;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case(
                        "close-up of a red fox staring into the camera at golden hour, film grain, sun rays, bokeh",
                        "",
                        1,
                        160,
                        90,
                        "ca5a14910f38531702c115dda83d425c65111bdf408d6c0577c7bb4a4ae6b68c"),
                new Case(
                        "a flock of seagulls over ocean waves at dawn, camera pans left, cinematic, vivid colors",
                        "",
                        2,
                        160,
                        90,
                        "db47213af486b5979e3f06c61df8f8b2e18bd36eac5c182ccfb738ede604a160"),
                new Case(
                        "neon cyberpunk city at night, cars racing to the right, rain, tracking shot, high contrast",
                        "",
                        3,
                        160,
                        90,
                        "681fd3edf140d7c6b8a5a23ea136264c8c0758992826c45517d5e5a1593cefe5"),
                new Case(
                        "underwater coral reef with a school of fish and bubbles, slow zoom in, teal water",
                        "",
                        4,
                        160,
                        90,
                        "c40a669a380f6be0788cb5b5c3ebcdf6e22dff9acdd820ac09efea347203aa08"),
                new Case(
                        "an astronaut and a rocket launching in deep space near a planet, dolly in, sparkles",
                        "",
                        5,
                        160,
                        90,
                        "65075eb219cdd790a1707ec8afdb95ec571b83a9ebc900f6bfc22e9182100a22"),
                new Case(
                        "a robot programmer coding on a laptop in a cosy office, static camera, vintage",
                        "",
                        6,
                        160,
                        90,
                        "fd84098318fec88b85c5708a6ad06ed9eaebfd379f875227a3540c8796d999d2"),
                new Case(
                        "a grey cat walking in a bright sunny kitchen, handheld, black and white",
                        "",
                        7,
                        160,
                        90,
                        "7f0da447120ff19d4f0edc86f941f1e032ac8a7752040c4f199514ccdbb1ee16"),
                new Case(
                        "aerial drone shot flying over a coastal city at night, splashing waves",
                        "",
                        8,
                        160,
                        90,
                        "0dcc7353b96abf554c1d3daf43609c90064d809639087e2da2b4791db52490b0"),
                new Case(
                        "aerial view of snowy mountains and a desert canyon, overcast",
                        "",
                        9,
                        160,
                        90,
                        "e78416d0367bb5a1bed9cef0d3a89ded14ec4e452e45a4164253bf139c3c7a33"),
                new Case(
                        "bees buzzing around a sunflower in a meadow, orbit, mist, overcast",
                        "",
                        10,
                        160,
                        90,
                        "0af3376737ed60242dd27c0ae57a221f41ebb38709d34b8fa08a9f1a881e4c08"),
                new Case(
                        "a knight walking away from the camera on a snowy mountain path at sunrise, snowfall, tilt up, 16mm",
                        "",
                        11,
                        160,
                        90,
                        "a2f39548d67efa857d39017ef005907e40855ed56176e3313f3c285991ec8584"),
                new Case(
                        "a sailboat and a pumpkin falling into a candy town in the desert with fire, zoom out",
                        "",
                        12,
                        160,
                        90,
                        "2edb255d8cab7ede9bdf059f8738635ac325a147082d729dcf46b4ef595d6d7a"),
                new Case(
                        "a dancer and a broccoli character in a forest at midnight, fireflies, dolly out, pixar",
                        "",
                        13,
                        160,
                        90,
                        "25c8f4a54358eb1b66e67723344e38b434b7ad3e406405fc43584df776f77793"),
                new Case(
                        "three horses galloping across a field to the left, pan right, dramatic, letterbox, dusk",
                        "",
                        14,
                        160,
                        90,
                        "22357880394f429a6a49fafca6f1104cc5394bce36bc37b8893a945ab3d46510"),
                new Case(
                        "a taxi and a bus in a city street with buildings, overcast, tilt down",
                        "",
                        15,
                        160,
                        90,
                        "c292125bf6fca1b947afa167b5f61908699026ef9dcb0804889791d85c6d30b6"),
                new Case(
                        "high angle looking down at a whale and two dolphins in the sea, monochrome, rushing splash",
                        "",
                        16,
                        160,
                        90,
                        "49161e29d6c4ca9e3aca7726fd76530e798616b0e0d54f81f30be4d63cdf585e"),
                new Case(
                        "wide shot landscape of a desert with dunes, sunbeams",
                        "",
                        17,
                        160,
                        90,
                        "4b44089c05b21772a097e3dc64932db173aafa3c7d495ce7450cce1573731107"),
                new Case(
                        "mountains and a forest, static camera",
                        "",
                        18,
                        160,
                        90,
                        "aeb6a0a693fd14d3150a22852b8b806f86897fa36187c108396535732e239164"),
                new Case(
                        "deep underwater, jellyfish rising towards the camera, lamp",
                        "",
                        19,
                        96,
                        64,
                        "c5cec3565417b3b870893c3a3319cda4fc5cb99a54e24ac067bc4b78103c3a48"),
                new Case(
                        "a fox in a forest, film grain, vintage",
                        "grain, vintage",
                        20,
                        160,
                        90,
                        "b92c02a86814b8c7baff59f9b3467288827bf5169cdb52142a28a499a816e52b"),
                new Case(
                        "a girl and a boy with balloons and a flower by a lake in the hills, gently, cartoon",
                        "",
                        21,
                        160,
                        90,
                        "af3edbf100eb89bc4e4d06f42ce0b23a3f1c2a3a9003bcfd055c8acbaf9ade77"),
                new Case(
                        "a train and a truck on a road through a pine forest, snow, evening, camera rotating",
                        "",
                        22,
                        128,
                        72,
                        "e1f3ec85b12e3fd71ec91c772fae873bbf6ec8ca3d4650d672dff72c013ac769"),
                new Case(
                        "a panda running towards the camera in the snow, snowing, bamboo forest",
                        "",
                        23,
                        160,
                        90,
                        "55bcd1ecf60fb8f95e89a086310b568165c7a9d4e6ed4446487ad99face98a0d"),
                new Case(
                        "a tracking shot through deep space, blue nebula",
                        "",
                        24,
                        160,
                        90,
                        "e63108d6638e36d0b73270a8dab89adca245a31ae3ddd70aa8cb21589cdd57f1"),
                new Case(
                        "a quiet coral reef, underwater",
                        "",
                        25,
                        160,
                        90,
                        "eb1575e6594ba5f1785a62a3831bba124fe5be59879e2c458bd68ed595583461"),
                new Case(
                        "a kitten sleeping in a bedroom at night, lamp",
                        "",
                        26,
                        160,
                        90,
                        "c7ee920913b5ba654cc6e6b1f3a2436065c22b73fd8701c76ff360b1da556258"),
                new Case(
                        "aerial shot over a green forest",
                        "",
                        27,
                        160,
                        90,
                        "8be7f294603c6290e0d756c1fd4df5e4e4387285d5f337dfc68e940086d17779"),
                new Case(
                        "a brown bear catching a salmon in a fast river, low angle, splashing water, golden hour",
                        "",
                        42,
                        576,
                        320,
                        "71a4293792452111437920dec2b9561e574f9ae4cd6079645848445a47aba72e"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void paintsTheFramesRecordedForThePromptAndSeed(Case c) throws Exception {
        assertThat(hashOfFrames(c)).isEqualTo(c.sha256());
    }

    /** Paints the frames as the procedural renderer does and hashes the chosen ones in order. */
    private static String hashOfFrames(Case c) throws Exception {
        Scene scene = Scene.read(c.prompt(), c.negative());
        ScenePainter painter =
                new ScenePainter(scene, c.seed() ^ CueWords.of(c.prompt()).hash(), c.width(), c.height(), FPS);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] frame = new byte[c.width() * c.height() * 3];
        int next = 0;
        for (int i = 0; next < FRAMES.length; i++) {
            painter.paint(i, frame);
            if (i == FRAMES[next]) {
                sha.update(frame);
                next++;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
