package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the public API may show of a text the station made: no backend address, no absolute path. */
class RedactionTest {
    @Test
    void backendUrlsAndHostAddressesAreReplaced() {
        assertThat(Redaction.redact("render failed: gpu: POST http://10.1.2.3:7860/gradio_api/call/run: 503"))
                .isEqualTo("render failed: gpu: POST [url]: 503");
        assertThat(Redaction.redact("connect to https://user:pw@gpu-box.lan:8188/prompt?x=1 timed out"))
                .isEqualTo("connect to [url] timed out");
        assertThat(Redaction.redact("refused by 192.168.0.12:7860 and [fe80::1]:8080 and localhost:11434"))
                .isEqualTo("refused by [host] and [host] and [host]");
        assertThat(Redaction.redact("file (rtmp://live.example/app) gone")).isEqualTo("file ([url]) gone");
    }

    @Test
    void absolutePathsKeepOnlyTheirFileName() {
        assertThat(Redaction.redact("cannot read /srv/latenttv/data/work/ab12/render.mp4: no such file"))
                .isEqualTo("cannot read …/render.mp4: no such file");
        assertThat(Redaction.redact("disk full (no space left: 12 KiB free in /var/lib/latenttv): x"))
                .isEqualTo("disk full (no space left: 12 KiB free in …/latenttv): x");
        assertThat(Redaction.redact("moving '/tmp/latenttv-1/a.ts' to /data/b.ts"))
                .isEqualTo("moving '…/a.ts' to …/b.ts");
    }

    @Test
    void ordinaryTextIsLeftAsItIs() {
        for (String text : new String[] {
            "render failed: CUDA out of memory (try 2 of 3)",
            "upscale failed: ratio 16/9 at 24 fps, 1/2 speed",
            "ffmpeg exited with 1: Invalid data found when processing input",
            "the output of an earlier stage is missing: clips/tv/x/render.mp4",
            "at 12:30:45 the model said no",
            ""
        }) {
            assertThat(Redaction.redact(text)).isEqualTo(text);
        }
        assertThat(Redaction.redact(null)).isNull();
    }
}
