package tv.latent.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;

/**
 * Prints a live progress bar per stage of each job on a terminal, and one line per finished stage
 * elsewhere (logs, CI). Thread-safe.
 */
final class ProgressPrinter implements PipelineListener {
    private static final int WIDTH = 24;
    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, String> lastLine = new ConcurrentHashMap<>();
    private final Map<String, Long> lastPrint = new ConcurrentHashMap<>();
    /** Jobs whose end (mastered, failed, cancelled) has been printed. */
    private final java.util.Set<String> ended = new java.util.HashSet<>();

    ProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void progress(ShotJob job, JobState stage, double fraction, String detail) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        String key = job.id() + stage;
        Long last = lastPrint.get(key);
        if (last != null && now - last < 100_000_000L && fraction < 1) {
            return;
        }
        lastPrint.put(key, now);
        String line = bar(job, stage, fraction, detail);
        if (!line.equals(lastLine.put(job.id(), line))) {
            out.print("\r\033[2K" + line);
            out.flush();
        }
    }

    @Override
    public synchronized void changed(ShotJob job) {
        String label = label(job);
        if (terminal) {
            out.print("\r\033[2K");
        }
        switch (job.state()) {
            case MASTERED -> out.println(label + " mastered");
            case FAILED -> out.println(label + " FAILED: " + job.lastError());
            default -> {
                if (!job.lastError().isEmpty() && job.attempts() > 0) {
                    out.println(label + " " + job.lastError() + " (will retry)");
                } else if (!job.outputs().isEmpty()) {
                    JobState done = job.order().get(Math.max(0, job.order().indexOf(job.state()) - 1));
                    ShotJob.StageRecord record = job.outputs().get(done);
                    if (record != null) {
                        out.println(String.format(
                                Locale.ROOT,
                                "%s %-11s done in %5.2f s  (%s)",
                                label,
                                name(done),
                                record.seconds(),
                                record.backend()));
                    }
                }
            }
        }
        out.flush();
        if (job.state().terminal()) {
            ended.add(job.id());
            notifyAll();
        }
    }

    /**
     * Waits (up to {@code timeout}) until the end of a job that has ended is printed: the pipeline
     * stores a job's end before it tells its listeners, so a caller that saw the stored end would
     * otherwise print its own lines before this printer's last one.
     */
    synchronized void awaitEnded(String jobId, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended.contains(jobId)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private static String bar(ShotJob job, JobState stage, double fraction, String detail) {
        StringBuilder b = new StringBuilder(label(job))
                .append(' ')
                .append(String.format(Locale.ROOT, "%-11s", name(stage)))
                .append(" [");
        if (fraction < 0) {
            b.append("~".repeat(WIDTH)).append("]     ");
        } else {
            int filled = (int) Math.round(Math.min(1, fraction) * WIDTH);
            b.append("#".repeat(filled))
                    .append("-".repeat(WIDTH - filled))
                    .append(String.format(Locale.ROOT, "] %3d%%", Math.round(fraction * 100)));
        }
        if (detail != null && !detail.isBlank()) {
            b.append("  ").append(detail);
        }
        return b.toString();
    }

    private static String label(ShotJob job) {
        String title = job.plan().title();
        return "[" + job.id().substring(0, 8) + " " + (title.length() > 28 ? title.substring(0, 27) + "…" : title)
                + "]";
    }

    private static String name(JobState stage) {
        return stage.name().toLowerCase(Locale.ROOT);
    }
}
