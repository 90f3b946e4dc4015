package tv.latent.backend.fal;

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
import tv.latent.backend.fal.FakeFalServer.Misbehaviour;
import tv.latent.testing.TestMedia;

/** fal's queue protocol against a fake on loopback, in each documented way it can go wrong. */
class FalClientTest {
    private static final String KEY = "fal-key-SECRET-1234";
    private static final String APP = "fal-ai/fake-video/text-to-video";

    @TempDir
    Path dir;

    FakeFalServer fal;

    @AfterEach
    void stop() {
        if (fal != null) {
            fal.close();
        }
    }

    FakeFalServer.Builder fake() {
        return FakeFalServer.builder().requireKey(KEY).app(APP, call -> call.video(TestMedia.mp4(128, 72, 8, 8)));
    }

    FalClient client(String key) {
        return FalClient.builder(fal.baseUri())
                .key(key)
                .pollInterval(Duration.ofMillis(20))
                .callTimeout(Duration.ofSeconds(5))
                .build();
    }

    static ObjectNode input(String prompt) {
        return JsonNodeFactory.instance.objectNode().put("prompt", prompt).put("seed", 7);
    }

    @Test
    void runsARequestThroughTheQueueAndDownloadsItsVideoWithoutTheKey() throws Exception {
        fal = fake().start();
        List<FalStatus> seen = new CopyOnWriteArrayList<>();
        try (FalClient client = client(KEY)) {
            FalResult result = client.run(APP, input("a heron"), Duration.ofSeconds(20), seen::add);
            Path video = dir.resolve("out.mp4");
            long bytes =
                    client.download(URI.create(result.output().at("/video/url").asText()), video);

            assertThat(bytes).isEqualTo(Files.size(video)).isPositive();
            assertThat(TestMedia.probe(video).width()).isEqualTo(128);
            assertThat(result.inferenceSeconds()).isEqualTo(1.5);
        }
        assertThat(seen).extracting(FalStatus::state).contains("IN_QUEUE", "IN_PROGRESS", "COMPLETED");
        assertThat(seen)
                .filteredOn(FalStatus::queued)
                .extracting(FalStatus::queuePosition)
                .contains(2, 1, 0);
        assertThat(fal.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Key " + KEY));
        assertThat(fal.requests()).filteredOn(r -> r.method().equals("GET")).allSatisfy(r -> assertThat(r.path())
                .startsWith("/fal-ai/fake-video/requests/"));
        assertThat(fal.cdn().fetches()).singleElement().satisfies(f -> assertThat(f.authorization())
                .isEmpty());
    }

    @Test
    void theHuggingFaceRouterRouteUsesTheTokenAndNeverTheHostFalNames() throws Exception {
        fal = FakeFalServer.builder()
                .router()
                .requireKey("hf_TOKEN123")
                .app(APP, call -> call.video(TestMedia.mp4(128, 72, 8, 8)))
                .start();
        try (FalClient client = FalClient.builder(fal.baseUri())
                .huggingFaceToken("hf_TOKEN123")
                .pollInterval(Duration.ofMillis(20))
                .build()) {
            FalResult result = client.run(APP, input("a heron"), Duration.ofSeconds(20), FalListener.NONE);
            assertThat(result.output().at("/video/url").asText())
                    .startsWith(fal.cdn().base());
        }
        assertThat(fal.requests()).allSatisfy(r -> {
            assertThat(r.path()).startsWith("/fal-ai/");
            assertThat(r.query()).contains("_subdomain=queue");
            assertThat(r.authorization()).isEqualTo("Bearer hf_TOKEN123");
        });
    }

    @Test
    void aContentPolicyRefusalIsFinal() {
        fal = fake().misbehave(Misbehaviour.REFUSE).start();
        try (FalClient client = client(KEY)) {
            assertThatThrownBy(() -> client.run(APP, input("x"), Duration.ofSeconds(5), FalListener.NONE))
                    .isInstanceOfSatisfying(FalException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FalException.Kind.CONTENT_POLICY);
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.status()).isEqualTo(422);
                    })
                    .hasMessageContaining("content policy");
        }
    }

    @Test
    void aRefusalWhenTheResultIsFetchedIsFinalToo() {
        fal = fake().misbehave(Misbehaviour.REFUSE_ON_RESULT).start();
        try (FalClient client = client(KEY)) {
            assertThatThrownBy(() -> client.run(APP, input("x"), Duration.ofSeconds(5), FalListener.NONE))
                    .isInstanceOfSatisfying(
                            FalException.class, e -> assertThat(e.kind()).isEqualTo(FalException.Kind.CONTENT_POLICY));
        }
    }

    @Test
    void aRefusedKeyIsUnauthorizedAndNeverInTheMessage() {
        fal = fake().start();
        try (FalClient client = client("fal-key-WRONG-999")) {
            assertThatThrownBy(() -> client.submit(APP, input("x")))
                    .isInstanceOfSatisfying(FalException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FalException.Kind.UNAUTHORIZED);
                        assertThat(e.retryable()).isFalse();
                    })
                    .message()
                    .doesNotContain("fal-key-WRONG-999")
                    .doesNotContain(KEY);
        }
    }

    @Test
    void aThrottledSubmitSaysHowLongToWait() {
        fal = fake().misbehave(Misbehaviour.THROTTLE).start();
        try (FalClient client = client(KEY)) {
            assertThatThrownBy(() -> client.submit(APP, input("x"))).isInstanceOfSatisfying(FalException.class, e -> {
                assertThat(e.kind()).isEqualTo(FalException.Kind.BUSY);
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
            });
        }
    }

    @Test
    void aServerErrorIsRetryable() {
        fal = fake().misbehave(Misbehaviour.SERVER_ERROR).start();
        try (FalClient client = client(KEY)) {
            assertThatThrownBy(() -> client.submit(APP, input("x"))).isInstanceOfSatisfying(FalException.class, e -> {
                assertThat(e.kind()).isEqualTo(FalException.Kind.SERVER_ERROR);
                assertThat(e.retryable()).isTrue();
            });
        }
    }

    @Test
    void aThrottledStatusPollIsRiddenOut() throws Exception {
        fal = fake().misbehave(Misbehaviour.THROTTLE_FIRST_POLL).start();
        try (FalClient client = client(KEY)) {
            FalResult result = client.run(APP, input("x"), Duration.ofSeconds(20), FalListener.NONE);
            assertThat(result.output().has("video")).isTrue();
        }
    }

    @Test
    void aRequestThatNeverCompletesIsCancelledAtItsTimeout() {
        fal = fake().misbehave(Misbehaviour.NEVER_COMPLETES).start();
        try (FalClient client = client(KEY)) {
            assertThatThrownBy(() -> client.run(APP, input("x"), Duration.ofMillis(600), FalListener.NONE))
                    .isInstanceOfSatisfying(FalException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FalException.Kind.TIMEOUT);
                        assertThat(fal.cancelled()).containsExactly(e.requestId());
                    })
                    .hasMessageContaining("cancelled");
        }
    }

    @Test
    void aResultLinkThatIsGoneIsNotFoundAndLeavesNoFile() throws Exception {
        fal = fake().misbehave(Misbehaviour.GONE_URL).start();
        try (FalClient client = client(KEY)) {
            FalResult result = client.run(APP, input("x"), Duration.ofSeconds(20), FalListener.NONE);
            URI gone = URI.create(result.output().at("/video/url").asText());
            assertThatThrownBy(() -> client.download(gone, dir.resolve("out.mp4")))
                    .isInstanceOfSatisfying(FalException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FalException.Kind.NOT_FOUND);
                        assertThat(e.retryable()).isFalse();
                    });
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDownloadOverTheLimitIsRefused() throws Exception {
        fal = fake().start();
        try (FalClient client = FalClient.builder(fal.baseUri())
                .key(KEY)
                .pollInterval(Duration.ofMillis(20))
                .maxDownloadBytes(100)
                .build()) {
            FalResult result = client.run(APP, input("x"), Duration.ofSeconds(20), FalListener.NONE);
            assertThatThrownBy(() -> client.download(
                            URI.create(result.output().at("/video/url").asText()), dir.resolve("out.mp4")))
                    .isInstanceOfSatisfying(
                            FalException.class, e -> assertThat(e.kind()).isEqualTo(FalException.Kind.TOO_LARGE));
        }
    }

    @Test
    void aResultUrlThatIsNotHttpIsRefused() throws Exception {
        fal = fake().start();
        try (FalClient client = client(KEY)) {
            assertThatThrownBy(() -> client.download(URI.create("file:///etc/passwd"), dir.resolve("x")))
                    .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.kind())
                            .isEqualTo(FalException.Kind.MALFORMED_RESPONSE));
        }
    }
}
