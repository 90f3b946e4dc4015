package tv.latent.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way LatentTV runs a child process (ffmpeg, ffprobe, any tool a stage needs): arguments
 * as a list, never a shell string; standard error always drained, line by line, to the caller;
 * standard output drained to a sink or discarded; the exit waited for, never polled; and every
 * stop bounded: close standard input, wait, SIGTERM, wait, SIGKILL.
 *
 * <p>Two shapes. To completion, within a time limit:
 *
 * <pre>{@code
 * ChildProcess.Exit exit = ChildProcess.run(List.of("ffprobe", "-version"), "ffprobe",
 *     Duration.ofSeconds(30), null, (bytes, n) -> out.write(bytes, 0, n), log::debug);
 * }</pre>
 *
 * Long-running, fed on standard input until the caller stops it:
 *
 * <pre>{@code
 * try (ChildProcess ffmpeg = ChildProcess.start(command, "push-twitch", line -> log.debug(line), null)) {
 *   ffmpeg.stdin().write(segment);
 *   ...
 *   ffmpeg.stop(Duration.ofSeconds(3));
 * }
 * }</pre>
 *
 * <p>No child outlives the JVM: every child is registered (by its {@link ProcessHandle}) from
 * start until it exits, and a shutdown hook gives an orderly shutdown {@value #SHUTDOWN_GRACE_SECONDS}
 * s to stop the children it owns, then destroys the ones still alive, with their descendants
 * (SIGTERM, then SIGKILL after {@value #KILL_GRACE_SECONDS} s more). A JVM killed with SIGKILL runs
 * no hook: for that, every open {@link ChildLedger} keeps the children on record in its data
 * directory, and the next start there ends the ones left.
 *
 * <p>Thread-safety: one thread writes {@link #stdin()}; {@link #destroy}, {@link #stop},
 * {@link #terminate} and {@link #close} may come from any thread and do nothing once the child
 * has exited. The registry is process-wide and thread-safe.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    static final int SHUTDOWN_GRACE_SECONDS = 3;
    static final int KILL_GRACE_SECONDS = 2;
    /** How long {@link #close} lets a child end on SIGTERM before killing it. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** How long a run waits for output drains once its child has exited. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

    /** Every child from start until exit, with its record for the {@link ChildLedger} (null when the system gives none). */
    private static final Map<ProcessHandle, Optional<ChildLedger.Child>> LIVE = new ConcurrentHashMap<>();

    static {
        try {
            Runtime.getRuntime()
                    .addShutdownHook(
                            Thread.ofPlatform().name("child-process-reaper").unstarted(ChildProcess::reapAll));
        } catch (IllegalStateException e) {
            log.warn("the JVM is already shutting down; children started now are not reaped by it");
        }
    }

    /** Receives what a child writes on standard output, as it arrives, on the drain's thread. */
    @FunctionalInterface
    public interface OutputSink {
        void accept(byte[] bytes, int length);
    }

    /** Writes a child's standard input; the stream is closed afterwards. */
    @FunctionalInterface
    public interface InputWriter {
        void write(OutputStream in) throws IOException;
    }

    /**
     * How a run to completion ended.
     *
     * @param code the exit code
     * @param stdinFailure what went wrong writing standard input (the child may have stopped
     *     reading early), or null
     */
    public record Exit(int code, IOException stdinFailure) {}

    private final Process process;
    private final String name;
    private final Thread stderrDrain;
    private final Thread stdoutDrain;

    private ChildProcess(Process process, String name, Thread stderrDrain, Thread stdoutDrain) {
        this.process = process;
        this.name = name;
        this.stderrDrain = stderrDrain;
        this.stdoutDrain = stdoutDrain;
    }

    /**
     * Starts {@code command} and registers it until it exits.
     *
     * @param name names the drain threads and messages, e.g. "ffmpeg"
     * @param stderrLines receives each non-blank line of standard error, stripped, on the drain's
     *     thread; it may log them (mind secrets in arguments a tool echoes)
     * @param stdout receives standard output, or null to discard it
     */
    public static ChildProcess start(List<String> command, String name, Consumer<String> stderrLines, OutputSink stdout)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (stdout == null) {
            builder.redirectOutput(Redirect.DISCARD);
        }
        Process process = builder.start();
        ProcessHandle handle = process.toHandle();
        LIVE.put(handle, ChildLedger.Child.of(handle));
        ChildLedger.recordAll();
        process.onExit().thenRun(() -> {
            LIVE.remove(handle);
            ChildLedger.recordAll();
        });
        Thread stderrDrain = Thread.ofVirtual()
                .name(name + "-stderr")
                .start(() -> drainLines(process.getErrorStream(), stderrLines));
        Thread stdoutDrain = stdout == null
                ? null
                : Thread.ofVirtual().name(name + "-stdout").start(() -> drainBytes(process.getInputStream(), stdout));
        return new ChildProcess(process, name, stderrDrain, stdoutDrain);
    }

    /**
     * Runs {@code command} to completion: feeds standard input on its own thread (or closes it),
     * waits for the exit and for the output to be drained.
     *
     * @param stdin writes standard input, or null for none
     * @param stdout receives standard output, or null to discard it
     * @throws TimeoutException when the child did not exit within {@code timeout}; it was
     *     terminated and waited for
     * @throws InterruptedException when the calling thread is interrupted; the child was
     *     terminated and waited for
     */
    public static Exit run(
            List<String> command,
            String name,
            Duration timeout,
            InputWriter stdin,
            OutputSink stdout,
            Consumer<String> stderrLines)
            throws IOException, InterruptedException, TimeoutException {
        try (ChildProcess child = start(command, name, stderrLines, stdout)) {
            IOException[] stdinFailure = new IOException[1];
            Thread feed = null;
            if (stdin != null) {
                feed = Thread.ofVirtual().name(name + "-stdin").start(() -> {
                    try (OutputStream in = child.stdin()) {
                        stdin.write(in);
                    } catch (IOException e) {
                        stdinFailure[0] = e;
                    }
                });
            } else {
                child.stdin().close();
            }
            boolean exited;
            try {
                exited = child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                child.terminate(CLOSE_GRACE);
                throw e;
            }
            if (!exited) {
                child.terminate(CLOSE_GRACE);
                throw new TimeoutException(
                        name + " did not finish within " + timeout.toSeconds() + " s and was stopped");
            }
            if (!child.awaitOutput(DRAIN_LIMIT)) {
                throw new IOException(name + " exited but its output did not end within " + DRAIN_LIMIT.toSeconds()
                        + " s (a descendant holds it open?)");
            }
            if (feed != null) {
                feed.join();
            }
            return new Exit(child.process.exitValue(), stdinFailure[0]);
        }
    }

    /** The child's standard input; close it to tell the child that nothing more comes. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The exit code; only once the child has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Waits until both output drains have read to the end (they do once the child exits). */
    public boolean awaitOutput(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!stderrDrain.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            return false;
        }
        return stdoutDrain == null || stdoutDrain.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Asks the child to end (SIGTERM) and returns at once, e.g. to break a blocked write. */
    public void destroy() {
        process.destroy();
    }

    /**
     * Ends the child gently: closes its standard input (most tools then finish and exit), waits
     * up to {@code grace}, then {@link #terminate}s it. Returns within about twice {@code grace}.
     */
    public void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        try {
            stdin().close();
        } catch (IOException e) {
            // the pipe is already broken: the child is on its way out
        }
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            terminate(grace);
        }
    }

    /** SIGTERM, up to {@code grace} to exit, then SIGKILL and the wait for it to go. */
    public void terminate(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            log.debug("{} (pid {}) ignored SIGTERM for {}; killing it", name, process.pid(), grace);
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /**
     * {@link #terminate}s the child if it still runs (SIGTERM, 5 s, SIGKILL). An interrupt while
     * waiting kills it at once and is kept on the thread. Idempotent.
     */
    @Override
    public void close() {
        try {
            terminate(CLOSE_GRACE);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ChildProcess[" + name + ", pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }

    /** The process ids of the registered children that are alive now. */
    static Set<Long> livePids() {
        return LIVE.keySet().stream()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    /** The records of the registered children that are alive now, for the {@link ChildLedger}. */
    static List<ChildLedger.Child> recordedChildren() {
        List<ChildLedger.Child> children = new ArrayList<>();
        LIVE.forEach((handle, child) -> {
            if (handle.isAlive()) {
                child.ifPresent(children::add);
            }
        });
        return children;
    }

    private static void drainLines(InputStream in, Consumer<String> lines) {
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    lines.accept(line.strip());
                } catch (RuntimeException e) {
                    log.warn("a standard-error listener failed; draining goes on", e);
                }
            }
        } catch (IOException ignored) {
            // the process went away; what was delivered is all there is
        }
    }

    private static void drainBytes(InputStream in, OutputSink sink) {
        byte[] buffer = new byte[16384];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sink.accept(buffer, n);
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }

    /** The shutdown hook: children an orderly shutdown did not stop are destroyed, bounded. */
    private static void reapAll() {
        if (LIVE.isEmpty()) {
            return;
        }
        if (awaitExit(List.copyOf(LIVE.keySet()), SHUTDOWN_GRACE_SECONDS)) {
            return;
        }
        List<ProcessHandle> left = List.copyOf(LIVE.keySet());
        log.warn("stopping {} child process(es) still running at JVM exit", left.size());
        for (ProcessHandle child : left) {
            child.descendants().forEach(ProcessHandle::destroy);
            child.destroy();
        }
        if (!awaitExit(left, KILL_GRACE_SECONDS)) {
            for (ProcessHandle child : left) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly();
            }
        }
    }

    /** Whether all of {@code processes} exited within {@code seconds}. */
    static boolean awaitExit(List<ProcessHandle> processes, int seconds) {
        try {
            CompletableFuture.allOf(
                            processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture<?>[]::new))
                    .get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
