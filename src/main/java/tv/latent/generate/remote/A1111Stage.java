package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tv.latent.backend.a1111.A1111Client;
import tv.latent.backend.a1111.Sampler;
import tv.latent.backend.a1111.T2vRequest;
import tv.latent.backend.a1111.VideoCheck;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.generate.VideoInput;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/**
 * AUTOMATIC1111 with sd-webui-text2video ({@code POST /t2v/run}) in its two modes: text to video
 * (render) and video to video at the channel's size with the shot's prompt and a denoising
 * strength (upscale, the way Zeroscope XL is run there). The extension answers 200 with a small
 * error video when it fails inside, so every video is probed and compared with the request before
 * it is accepted ({@link #probing}). Thread-safe.
 */
final class A1111Stage implements Renderer, Upscaler, Circuits {
    private final EndpointPool<A1111Client> pool;
    private final A1111Settings settings;
    private final Ffmpeg ffmpeg;

    A1111Stage(EndpointPool<A1111Client> pool, A1111Settings settings, Ffmpeg ffmpeg) {
        this.pool = pool;
        this.settings = settings;
        this.ffmpeg = ffmpeg;
    }

    @Override
    public StageOutput render(RenderRequest request, StageContext context) throws IOException, InterruptedException {
        T2vRequest t2v = base(request.prompt(), request.negativePrompt(), request.seed())
                .size(request.width(), request.height())
                .frames(request.frames())
                .fps(request.fps())
                .build();
        Path target = context.newFile("render", "mp4");
        run(t2v, target, "rendering", context);
        return RemoteOutput.of(
                target,
                pool.backend(),
                "model",
                settings.model(),
                "sampler",
                settings.sampler(),
                "steps",
                settings.steps(),
                "cfg",
                settings.cfg(),
                "seed",
                t2v.seed());
    }

    @Override
    public StageOutput upscale(UpscaleRequest request, StageContext context) throws IOException, InterruptedException {
        MediaInfo.Video in = VideoInput.probe(ffmpeg, request.input()).video().orElseThrow();
        T2vRequest t2v = base(request.prompt(), request.negativePrompt(), request.seed())
                .size(request.width(), request.height())
                .frames((int) in.frames())
                .fps((int) Math.round(in.fps()))
                .vid2vid(request.input(), settings.strength())
                .build();
        Path target = context.newFile("upscale", "mp4");
        run(t2v, target, "upscaling", context);
        return RemoteOutput.of(
                target,
                pool.backend(),
                "model",
                settings.model(),
                "strength",
                settings.strength(),
                "width",
                request.width(),
                "height",
                request.height());
    }

    private void run(T2vRequest t2v, Path target, String doing, StageContext context)
            throws IOException, InterruptedException {
        context.progress().report(0, doing + " on " + pool.backend());
        pool.call(settings.timeout(), (client, left) -> client.render(t2v, target, left)
                .video());
        context.progress().report(1, "done");
    }

    private T2vRequest.Builder base(String prompt, String negative, long seed) {
        T2vRequest.Builder b = T2vRequest.builder(prompt)
                .negativePrompt(negative == null || negative.isBlank() ? settings.negativePrompt() : negative)
                .sampler(sampler(settings.sampler()))
                .steps(settings.steps())
                .cfgScale(settings.cfg())
                .eta(settings.eta())
                .seed(seed % (1L << 31));
        if (settings.model() != null && !settings.model().isBlank()) {
            b.model(settings.model());
        }
        return b;
    }

    static Sampler sampler(String wireName) {
        for (Sampler s : Sampler.values()) {
            if (s.wireName().equals(wireName)) {
                return s;
            }
        }
        return Sampler.DDIM_GAUSSIAN;
    }

    /**
     * Rejects the extension's placeholder error video (wrong size or far fewer frames than asked),
     * and anything past {@link tv.latent.media.ProbeLimits#UNTRUSTED}, before it is decoded.
     */
    static VideoCheck probing(Ffmpeg ffmpeg) {
        return (video, request) -> {
            MediaInfo info;
            try {
                info = ffmpeg.probeUntrusted(video);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while probing", e);
            } catch (IOException e) {
                return Optional.of("not readable video: " + e.getMessage());
            }
            if (info.video().isEmpty()) {
                return Optional.of("no video stream");
            }
            MediaInfo.Video v = info.video().get();
            if (v.width() != request.width() || v.height() != request.height()) {
                return Optional.of(
                        "asked " + request.width() + "x" + request.height() + ", got " + v.width() + "x" + v.height());
            }
            if (Math.abs(v.frames() - request.frames()) > 1) {
                return Optional.of("asked " + request.frames() + " frames, got " + v.frames());
            }
            return Optional.empty();
        };
    }

    @Override
    public List<EndpointPool.Circuit> circuits() {
        return pool.circuits();
    }

    @Override
    public void close() {
        pool.close();
    }
}
