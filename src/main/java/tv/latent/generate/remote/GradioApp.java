package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import tv.latent.backend.gradio.CallListener;
import tv.latent.backend.gradio.CallOptions;
import tv.latent.backend.gradio.Endpoint;
import tv.latent.backend.gradio.FileData;
import tv.latent.backend.gradio.GradioClient;
import tv.latent.backend.gradio.GradioResult;
import tv.latent.backend.gradio.ProgressStep;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;

/**
 * One Gradio function a stage calls, on a pool of apps: checks the function's parameters against
 * the app's {@code /info} on each app's first call, calls with progress, downloads with a size
 * limit into the stage's work directory. Thread-safe.
 */
final class GradioApp implements AutoCloseable {
    private final EndpointPool<GradioClient> pool;
    private final Endpoint endpoint;
    private final List<String> parameters;
    private final Duration timeout;
    private final long maxDownloadBytes;
    private final Set<GradioClient> checked =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final List<String> endpoints;
    private final EndpointPool.Connector<GradioClient> probe;

    /**
     * @param parameters the names of the function's parameters LatentTV fills, in order, as the
     *     app's {@code /info} should list them
     * @param endpoints the pool's endpoints, for {@link #checkAtStart()}
     * @param probe connects with short timeouts (no long wait for a sleeping Space), for {@link #checkAtStart()}
     */
    GradioApp(
            EndpointPool<GradioClient> pool,
            Endpoint endpoint,
            List<String> parameters,
            Duration timeout,
            long maxDownloadBytes,
            List<String> endpoints,
            EndpointPool.Connector<GradioClient> probe) {
        this.pool = pool;
        this.endpoint = endpoint;
        this.parameters = List.copyOf(parameters);
        this.timeout = timeout;
        this.maxDownloadBytes = maxDownloadBytes;
        this.endpoints = List.copyOf(endpoints);
        this.probe = probe;
    }

    /** See {@link StartupCheck#checkAtStart()}. */
    List<String> checkAtStart() throws StageException, InterruptedException {
        List<String> warnings = new java.util.ArrayList<>();
        for (String where : endpoints) {
            try (GradioClient client = probe.connect(where)) {
                var mismatch = client.apiInfo().checkParameters(endpointName(), parameters);
                if (mismatch.isPresent()) {
                    throw changed(client, mismatch.get());
                }
            } catch (StageException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                warnings.add(backend() + " at " + where + " could not be checked at start (" + e.getMessage()
                        + "); its parameters are checked at its first call");
            }
        }
        return warnings;
    }

    private StageException changed(GradioClient client, String mismatch) {
        return new StageException(
                backend() + " at " + client.root() + ": the app changed: " + mismatch
                        + " (set 'parameters' in the backend's YAML to the names the app now uses)",
                false);
    }

    String backend() {
        return pool.backend();
    }

    /** What one call makes of the client: its inputs (may upload files first) and the output to keep. */
    @FunctionalInterface
    interface Exchange {
        List<?> inputs(GradioClient client, ApiDefaults defaults) throws IOException, InterruptedException;

        /** The output to download: the first output's video unless overridden. */
        default FileData output(GradioResult result) throws IOException {
            return result.video(0).video();
        }
    }

    /** Defaults the app declares for parameters after the ones LatentTV fills. */
    record ApiDefaults(List<Object> trailing) {}

    /** Calls the function and downloads its chosen output to {@code target} (in the work directory). */
    Path call(Exchange exchange, Path target, StageContext context) throws StageException, InterruptedException {
        return pool.call(timeout, (client, left) -> {
            ApiDefaults defaults = check(client);
            List<?> inputs = exchange.inputs(client, defaults);
            GradioResult result = client.call(
                    endpoint, inputs, CallOptions.timeout(left).withListener(new Progress(context.progress())));
            FileData file = exchange.output(result);
            try {
                client.download(file, target, maxDownloadBytes);
            } catch (IOException e) {
                Files.deleteIfExists(target);
                throw e;
            }
            context.progress().report(1.0, "downloaded from " + backend());
            return target;
        });
    }

    List<EndpointPool.Circuit> circuits() {
        return pool.circuits();
    }

    /** Compares the app's parameters with ours once per app; a mismatch fails with both lists. */
    private ApiDefaults check(GradioClient client) throws IOException {
        var info = client.apiInfo();
        if (!checked.contains(client)) {
            var mismatch = info.checkParameters(endpointName(), parameters);
            if (mismatch.isPresent()) {
                throw changed(client, mismatch.get());
            }
            checked.add(client);
        }
        var params = info.endpoint(endpointName()).orElseThrow().parameters();
        List<Object> trailing = new java.util.ArrayList<>();
        for (int i = parameters.size(); i < params.size(); i++) {
            var d = params.get(i).defaultValue();
            trailing.add(d == null || d.isNull() ? null : d);
        }
        return new ApiDefaults(trailing);
    }

    private String endpointName() {
        return endpoint.apiName() != null ? endpoint.apiName() : Integer.toString(endpoint.fnIndex());
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Gradio's queue position, ETA and progress bars as stage progress lines. */
    static final class Progress implements CallListener {
        private final StageContext.ProgressSink sink;

        Progress(StageContext.ProgressSink sink) {
            this.sink = sink;
        }

        @Override
        public void onQueued(int rank, int queueSize, Duration eta) {
            String where = rank < 0 ? "queued" : "queue " + (rank + 1) + (queueSize > 0 ? " of " + queueSize : "");
            sink.report(-1, where + (eta == null ? "" : ", about " + eta.toSeconds() + " s"));
        }

        @Override
        public void onStarted(Duration eta) {
            sink.report(0, "running" + (eta == null ? "" : ", about " + eta.toSeconds() + " s"));
        }

        @Override
        public void onProgress(List<ProgressStep> steps) {
            if (steps.isEmpty()) {
                return;
            }
            ProgressStep step = steps.getLast();
            if (step.index() != null && step.length() != null && step.length() > 0) {
                sink.report(
                        Math.min(1.0, (double) step.index() / step.length()),
                        "step " + step.index() + "/" + step.length() + (step.desc() == null ? "" : " " + step.desc()));
            } else if (step.progress() != null) {
                sink.report(Math.min(1.0, step.progress()), step.desc() == null ? "" : step.desc());
            }
        }
    }
}
