package tv.latent.station;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a thread that dies: an {@link Error} (out of memory, a stack overflow, a broken
 * class) anywhere in the station ends the process with {@link #EXIT_CODE}, so that a supervisor
 * (systemd's {@code Restart=always}) starts it again, rather than leaving a channel, the pipeline
 * or the lookahead silently without its thread. Any other exception that escapes a thread is
 * logged with its stack. Every loop of the station catches and backs off on exceptions itself;
 * only errors get this far.
 *
 * <p>Exiting runs the shutdown hooks (the station closes, child processes are ended); if that
 * takes longer than {@link #GRACE}, the process halts.
 */
public final class Fatal {
    /** The exit code of a process ended by an {@link Error}: EX_SOFTWARE in sysexits.h. */
    public static final int EXIT_CODE = 70;

    static final Duration GRACE = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(Fatal.class);

    private Fatal() {}

    /** Installs the handler for every thread of the process (call once, from {@code main}). */
    public static void exitOnErrors() {
        Thread.setDefaultUncaughtExceptionHandler(Fatal::uncaught);
    }

    static void uncaught(Thread thread, Throwable failure) {
        if (!(failure instanceof Error)) {
            LOG.error("thread {} ended by an uncaught exception", thread.getName(), failure);
            return;
        }
        try {
            LOG.error(
                    "fatal: thread {} ended by {}; LatentTV exits ({}) so that its supervisor starts it again",
                    thread.getName(),
                    failure.toString(),
                    EXIT_CODE,
                    failure);
        } catch (Throwable logging) {
            // out of memory may fail the log too: exit all the same
        }
        Thread halt = new Thread(
                () -> {
                    try {
                        Thread.sleep(GRACE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(EXIT_CODE);
                },
                "fatal-halt");
        halt.setDaemon(true);
        halt.start();
        // exit from a thread of its own: the dying thread may be one the shutdown hooks wait for
        new Thread(() -> System.exit(EXIT_CODE), "fatal-exit").start();
    }
}
