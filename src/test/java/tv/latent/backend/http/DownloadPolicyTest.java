package tv.latent.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DownloadPolicyTest {
    /** Names as a DNS might answer them, without asking one; an unknown name does not resolve. */
    private static final DownloadPolicy.Resolver DNS = host -> {
        Map<String, String> answers = Map.of(
                "owner-app.hf.space", "34.200.1.1",
                "cdn.example.com", "151.101.1.1",
                "files.example.com", "151.101.2.2",
                "rebind.example.com", "169.254.169.254",
                "intranet.example.com", "10.1.2.3",
                "gpu-box.lan", "192.168.1.20",
                "nas.lan", "192.168.1.30");
        String address = answers.get(host);
        if (address == null && !host.matches("[0-9.]+")) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address == null ? host : address)};
    };

    private static DownloadPolicy policy(String own, String... allowed) {
        return DownloadPolicy.of(URI.create(own), List.of(allowed), DNS);
    }

    @Test
    void theBackendsOwnOriginIsAlwaysAllowed() {
        DownloadPolicy policy = policy("https://owner-app.hf.space");
        assertThat(policy.refusal(URI.create("https://owner-app.hf.space/gradio_api/file=/tmp/x.mp4")))
                .isEmpty();
        assertThat(policy.refusal(URI.create("https://OWNER-APP.hf.space:443/file=/tmp/x.mp4")))
                .isEmpty();
    }

    @Test
    void anotherHostPortOrSchemeIsRefusedWithTheReason() {
        DownloadPolicy policy = policy("http://127.0.0.1:7860");
        assertThat(policy.refusal(URI.create("http://127.0.0.1:9000/secret"))).hasValueSatisfying(why -> assertThat(why)
                .contains("http://127.0.0.1:9000")
                .contains("neither the backend's own origin (http://127.0.0.1:7860)"));
        assertThat(policy.refusal(URI.create("https://127.0.0.1:7860/x"))).isPresent();
        assertThat(policy.refusal(URI.create("http://169.254.169.254/latest/meta-data/")))
                .isPresent();
        assertThat(policy.refusal(URI.create("file:///etc/passwd")))
                .hasValueSatisfying(why -> assertThat(why).contains("non-HTTP"));
    }

    @Test
    void hostsTheConfigurationAllowsAreFetchedByNamePortOrDomain() {
        DownloadPolicy policy = policy("https://owner-app.hf.space", "cdn.example.com", "*.example.com:8443");
        assertThat(policy.refusal(URI.create("https://cdn.example.com/v.mp4"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://cdn.example.com:8080/v.mp4")))
                .isEmpty();
        assertThat(policy.refusal(URI.create("https://files.example.com:8443/v.mp4")))
                .isEmpty();
        assertThat(policy.refusal(URI.create("https://files.example.com/v.mp4")))
                .isPresent();
        assertThat(policy.refusal(URI.create("https://example.com:8443/v.mp4"))).isPresent();
    }

    @Test
    void anAllowedNameThatResolvesToAPrivateAddressIsRefusedWhenTheBackendIsPublic() {
        DownloadPolicy policy =
                policy("https://owner-app.hf.space", "rebind.example.com", "intranet.example.com", "127.0.0.1");
        assertThat(policy.refusal(URI.create("http://rebind.example.com/latest/meta-data/")))
                .hasValueSatisfying(
                        why -> assertThat(why).contains("169.254.169.254").contains("loopback, link-local or private"));
        assertThat(policy.refusal(URI.create("http://intranet.example.com/admin")))
                .isPresent();
        assertThat(policy.refusal(URI.create("http://127.0.0.1:8080/"))).isPresent();
    }

    @Test
    void aBackendOnAPrivateNetworkMayNameItsNeighboursWhenAllowed() {
        DownloadPolicy policy = policy("http://gpu-box.lan:7860", "nas.lan");
        assertThat(policy.refusal(URI.create("http://nas.lan/outputs/v.mp4"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://intranet.example.com/x")))
                .as("not allowed by name")
                .isPresent();
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        assertThat(policy("https://owner-app.hf.space", "gone.example.com")
                        .refusal(URI.create("https://gone.example.com/x")))
                .hasValueSatisfying(why -> assertThat(why).contains("does not resolve"));
    }

    @Test
    void tellsPublicAddressesFromTheRest() throws Exception {
        for (String local : List.of(
                "127.0.0.1",
                "10.0.0.1",
                "172.16.5.4",
                "192.168.0.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "fe80::1",
                "fd00::1",
                "::ffff:127.0.0.1")) {
            assertThat(DownloadPolicy.isPublic(InetAddress.getByName(local)))
                    .as(local)
                    .isFalse();
        }
        for (String global : List.of("8.8.8.8", "151.101.1.1", "2606:4700::1111")) {
            assertThat(DownloadPolicy.isPublic(InetAddress.getByName(global)))
                    .as(global)
                    .isTrue();
        }
    }

    @Test
    void sayWhatIsWrongWithAConfiguredHost() {
        assertThat(DownloadPolicy.problem("cdn.example.com")).isEmpty();
        assertThat(DownloadPolicy.problem("*.hf.space")).isEmpty();
        assertThat(DownloadPolicy.problem("10.0.0.5:8080")).isEmpty();
        assertThat(DownloadPolicy.problem("https://cdn.example.com/")).isPresent();
        assertThat(DownloadPolicy.problem("cdn.example.com:http")).isPresent();
        assertThat(DownloadPolicy.problem("two words")).isPresent();
        assertThatThrownBy(() -> DownloadPolicy.of(URI.create("http://a"), List.of("bad/host")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad/host");
    }
}
