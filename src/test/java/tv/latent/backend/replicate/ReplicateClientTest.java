package tv.latent.backend.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.replicate.FakeReplicateServer.Misbehaviour;
import tv.latent.backend.replicate.FakeReplicateServer.NamedUrls;
import tv.latent.testing.TestMedia;

/** Replicate's predictions protocol against a fake on loopback, in each documented way it can go wrong. */
class ReplicateClientTest {
    private static final String TOKEN = "r8_SECRETtoken5678";
    private static final String MODEL = "fake/text-to-video";
    private static final String VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";

    @TempDir
    Path dir;

    FakeReplicateServer replicate;

    @AfterEach
    void stop() {
        if (replicate != null) {
            replicate.close();
        }
    }

    FakeReplicateServer.Builder fake() {
        FakeReplicateServer.Model model = call -> call.file("output.mp4", TestMedia.mp4(128, 72, 8, 8), "video/mp4");
        return FakeReplicateServer.builder()
                .requireToken(TOKEN)
                .model(MODEL, model)
                .model(VERSION, model);
    }

    ReplicateClient client() {
        return ReplicateClient.builder(replicate.baseUri())
                .token(TOKEN)
                .pollInterval(Duration.ofMillis(20))
                .preferWait(Duration.ofSeconds(5))
                .build();
    }

    static ObjectNode input() {
        return JsonNodeFactory.instance.objectNode().put("prompt", "a heron").put("seed", 3);
    }

    @Test
    void runsAnOfficialModelAndDownloadsItsOutputWithoutTheToken() throws Exception {
        replicate = fake().start();
        List<String> statuses = new CopyOnWriteArrayList<>();
        try (ReplicateClient client = client()) {
            Prediction done = client.run(
                    ReplicateModel.parse(MODEL), input(), Duration.ofSeconds(20), p -> statuses.add(p.status()));
            Path video = dir.resolve("out.mp4");
            client.download(URI.create(done.output().asText()), video);

            assertThat(TestMedia.probe(video).width()).isEqualTo(128);
            assertThat(done.predictSeconds()).isEqualTo(2.25);
        }
        assertThat(statuses).startsWith("starting").endsWith("succeeded");
        assertThat(replicate.requests()).first().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/v1/models/fake/text-to-video/predictions");
            assertThat(r.prefer()).isEqualTo("wait=5");
            assertThat(r.body().has("version")).isFalse();
        });
        assertThat(replicate.requests())
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
        assertThat(replicate.cdn().fetches()).singleElement().satisfies(f -> assertThat(f.authorization())
                .isEmpty());
    }

    @Test
    void aPinnedVersionIsCreatedThroughPredictions() throws Exception {
        replicate = fake().quick().start();
        try (ReplicateClient client = client()) {
            Prediction done = client.run(
                    ReplicateModel.parse("fake/text-to-video:" + VERSION), input(), Duration.ofSeconds(20), p -> {});
            assertThat(done.succeeded()).isTrue();
        }
        assertThat(replicate.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/v1/predictions");
            assertThat(r.body().path("version").asText()).isEqualTo(VERSION);
        });
    }

    @Test
    void aThrottledCreateSaysHowLongToWait() {
        replicate = fake().misbehave(Misbehaviour.THROTTLE).start();
        try (ReplicateClient client = client()) {
            assertThatThrownBy(() -> client.run(ReplicateModel.parse(MODEL), input(), Duration.ofSeconds(5), p -> {}))
                    .isInstanceOfSatisfying(ReplicateException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ReplicateException.Kind.BUSY);
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
                    })
                    .hasMessageContaining("throttled");
        }
    }

    @Test
    void aFailedPredictionCarriesItsErrorTrimmedAndWithoutTheToken() {
        replicate = fake().misbehave(Misbehaviour.FAIL).start();
        try (ReplicateClient client = client()) {
            assertThatThrownBy(() -> client.run(ReplicateModel.parse(MODEL), input(), Duration.ofSeconds(20), p -> {}))
                    .isInstanceOfSatisfying(ReplicateException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ReplicateException.Kind.FAILED);
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage())
                                .contains("RuntimeError")
                                .doesNotContain(TOKEN)
                                .doesNotContain("\n")
                                .hasSizeLessThan(700);
                    });
        }
    }

    @Test
    void aFlaggedInputIsAContentPolicyFailure() {
        replicate = fake().misbehave(Misbehaviour.FLAG).start();
        try (ReplicateClient client = client()) {
            assertThatThrownBy(() -> client.run(ReplicateModel.parse(MODEL), input(), Duration.ofSeconds(20), p -> {}))
                    .isInstanceOfSatisfying(ReplicateException.class, e -> assertThat(e.kind())
                            .isEqualTo(ReplicateException.Kind.CONTENT_POLICY))
                    .hasMessageContaining("NSFW");
        }
    }

    @Test
    void aCanceledPredictionSaysSo() {
        replicate = fake().misbehave(Misbehaviour.CANCEL).start();
        try (ReplicateClient client = client()) {
            assertThatThrownBy(() -> client.run(ReplicateModel.parse(MODEL), input(), Duration.ofSeconds(20), p -> {}))
                    .isInstanceOfSatisfying(ReplicateException.class, e -> assertThat(e.kind())
                            .isEqualTo(ReplicateException.Kind.CANCELED))
                    .hasMessageContaining("canceled");
        }
    }

    @Test
    void aPredictionThatNeverEndsIsCancelledAtItsTimeout() {
        replicate = fake().misbehave(Misbehaviour.NEVER_ENDS).start();
        try (ReplicateClient client = client()) {
            assertThatThrownBy(() -> client.run(ReplicateModel.parse(MODEL), input(), Duration.ofMillis(600), p -> {}))
                    .isInstanceOfSatisfying(ReplicateException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ReplicateException.Kind.TIMEOUT);
                        assertThat(replicate.cancelled()).containsExactly(e.predictionId());
                    });
        }
    }

    @Test
    void aRefusedTokenIsUnauthorized() {
        replicate = fake().start();
        try (ReplicateClient client =
                ReplicateClient.builder(replicate.baseUri()).token("r8_WRONG").build()) {
            assertThatThrownBy(() -> client.create(ReplicateModel.parse(MODEL), input(), Duration.ZERO))
                    .isInstanceOfSatisfying(ReplicateException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ReplicateException.Kind.UNAUTHORIZED);
                        assertThat(e.getMessage()).doesNotContain("r8_WRONG");
                    });
        }
    }

    @Test
    void anOutputThatWasDeletedIsNotFound() throws Exception {
        replicate = fake().misbehave(Misbehaviour.GONE_URL).start();
        try (ReplicateClient client = client()) {
            Prediction done = client.run(ReplicateModel.parse(MODEL), input(), Duration.ofSeconds(20), p -> {});
            assertThatThrownBy(() -> client.download(URI.create(done.output().asText()), dir.resolve("x.mp4")))
                    .isInstanceOfSatisfying(ReplicateException.class, e -> assertThat(e.kind())
                            .isEqualTo(ReplicateException.Kind.NOT_FOUND));
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void pollsAndCancelsGoWhereThePredictionSaysWhenThatIsOnTheApi() {
        replicate = fake().namedUrls(NamedUrls.API_ALIAS)
                .misbehave(Misbehaviour.NEVER_ENDS)
                .start();
        try (ReplicateClient client = client()) {
            assertThatThrownBy(() -> client.run(ReplicateModel.parse(MODEL), input(), Duration.ofMillis(600), p -> {}))
                    .isInstanceOfSatisfying(ReplicateException.class, e -> assertThat(e.kind())
                            .isEqualTo(ReplicateException.Kind.TIMEOUT));
        }
        assertThat(replicate.requests())
                .filteredOn(r -> !r.path().endsWith("/predictions"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.path()).startsWith("/v1/runs/"))
                .last()
                .satisfies(r -> assertThat(r.path()).endsWith("/cancel"));
        assertThat(replicate.cancelled()).hasSize(1);
    }

    @Test
    void pollUrlsOnAnotherOriginAreIgnoredSoTheTokenNeverGoesThere() throws Exception {
        replicate = fake().namedUrls(NamedUrls.OTHER_ORIGIN).start();
        try (ReplicateClient client = client()) {
            Prediction done = client.run(ReplicateModel.parse(MODEL), input(), Duration.ofSeconds(20), p -> {});
            assertThat(done.status()).isEqualTo("succeeded");
            assertThat(done.getUrl()).startsWith(replicate.cdn().base());
        }
        assertThat(replicate.requests())
                .filteredOn(r -> r.method().equals("GET"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.path()).startsWith("/v1/predictions/"));
        assertThat(replicate.cdn().fetches()).isEmpty();
    }

    @Test
    void modelNamesAreParsedInEveryForm() {
        assertThat(ReplicateModel.parse("owner/name")).isEqualTo(new ReplicateModel("owner", "name", ""));
        assertThat(ReplicateModel.parse("owner/name:" + VERSION).pinned()).isTrue();
        assertThat(ReplicateModel.parse(VERSION)).isEqualTo(new ReplicateModel("", "", VERSION));
        assertThatThrownBy(() -> ReplicateModel.parse("a/b/c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplicateModel.parse("../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
