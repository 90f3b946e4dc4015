package tv.latent.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record, on disk, of the child processes this JVM runs, so that none outlives a station killed
 * with SIGKILL. A JVM killed that way runs no shutdown hook, and its ffmpeg children go on: an
 * encode keeps a core busy and may write into a work directory the next run uses again. Each JVM
 * keeps its file {@code {runDir}/children-{pid}}: its own pid and start time, then one line per
 * live child (pid, start time, executable), rewritten whenever a child starts or exits. When a
 * station opens a data directory ({@link #open}), the files of JVMs that are no longer running are
 * read and every child they list that still runs and is really that process (same pid, same start
 * time to the millisecond, same executable) is ended: SIGTERM, 2 s, SIGKILL. A pid reused by an
 * unrelated process has another start time and is left alone; so are the children of a JVM that
 * still runs (a second process serving the same directory).
 *
 * <pre>{@code
 * try (ChildLedger ledger = ChildLedger.open(dataDir.resolve("run"))) {
 *   // every ChildProcess started from now on is on record until it exits
 * }
 * }</pre>
 *
 * <p>The record of a child is written right after it starts; a JVM killed in between (microseconds)
 * leaves that one child off. Thread-safe; {@link #close} is idempotent and deletes the file once
 * no ledger of this JVM uses the directory.
 */
public final class ChildLedger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChildLedger.class);
    private static final String PREFIX = "children-";
    private static final String HEADER = "latenttv-children 1";
    private static final int TERM_GRACE_SECONDS = 2;
    private static final Object LOCK = new Object();
    /** The run directories this JVM records its children in, with how many ledgers hold each. */
    private static final Map<Path, Integer> OPEN = new LinkedHashMap<>();

    /** One child as recorded: enough to tell it from a process that got its pid later. */
    record Child(long pid, long startMillis, String executable) {
        /** The record of a live process, or empty when the system does not say when it started. */
        static Optional<Child> of(ProcessHandle process) {
            ProcessHandle.Info info = process.info();
            Optional<Instant> started = info.startInstant();
            if (started.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Child(
                    process.pid(),
                    started.get().toEpochMilli(),
                    info.command().map(ChildLedger::fileName).orElse("?")));
        }

        /** Whether {@code process} is this child still: alive, same start time, same executable. */
        boolean is(ProcessHandle process) {
            return process.isAlive() && Child.of(process).filter(this::equals).isPresent();
        }
    }

    private final Path dir;
    private boolean closed;

    private ChildLedger(Path dir) {
        this.dir = dir;
    }

    /**
     * Ends the children left by JVMs that no longer run on {@code runDir} (created when missing),
     * then records this JVM's children there until {@link #close}.
     */
    public static ChildLedger open(Path runDir) throws IOException {
        Path dir = runDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        reapLeftovers(dir);
        synchronized (LOCK) {
            OPEN.merge(dir, 1, Integer::sum);
        }
        ChildLedger ledger = new ChildLedger(dir);
        recordAll();
        return ledger;
    }

    /**
     * Ends the live children listed by the files of JVMs that no longer run, and deletes those
     * files.
     *
     * @return the children ended, as {@code executable (pid n)}
     */
    static List<String> reapLeftovers(Path dir) throws IOException {
        List<ProcessHandle> victims = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .toList();
        }
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                continue;
            }
            Optional<Child> owner = lines.size() >= 2 && lines.get(0).equals(HEADER)
                    ? parse(lines.get(1).replaceFirst("^owner ", ""))
                    : Optional.empty();
            if (owner.isPresent()
                    && ProcessHandle.of(owner.get().pid())
                            .filter(owner.get()::is)
                            .isPresent()) {
                continue; // a JVM that still runs: its children are its own business
            }
            for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
                parse(line)
                        .ifPresent(child ->
                                ProcessHandle.of(child.pid()).filter(child::is).ifPresent(victims::add));
            }
            Files.deleteIfExists(file);
        }
        List<String> ended = new ArrayList<>();
        for (ProcessHandle victim : victims) {
            ended.add(victim.info().command().map(ChildLedger::fileName).orElse("?") + " (pid " + victim.pid() + ")");
            victim.destroy();
        }
        if (!victims.isEmpty()) {
            if (!ChildProcess.awaitExit(victims, TERM_GRACE_SECONDS)) {
                victims.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
                ChildProcess.awaitExit(victims, TERM_GRACE_SECONDS);
            }
            log.warn(
                    "ended {} child process(es) an earlier run on this data directory left running: {}",
                    ended.size(),
                    String.join(", ", ended));
        }
        return ended;
    }

    /** Rewrites the file of every open run directory with the children alive now. */
    static void recordAll() {
        synchronized (LOCK) {
            if (OPEN.isEmpty()) {
                return;
            }
            String content = content(ChildProcess.recordedChildren());
            for (Path dir : OPEN.keySet()) {
                try {
                    write(dir.resolve(PREFIX + ProcessHandle.current().pid()), content);
                } catch (IOException e) {
                    log.warn("cannot record child processes in {}: {}", dir, e.toString());
                }
            }
        }
    }

    private static String content(Collection<Child> children) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        Child self = Child.of(ProcessHandle.current())
                .orElse(new Child(ProcessHandle.current().pid(), -1, "?"));
        text.append("owner ").append(line(self)).append('\n');
        for (Child child : children) {
            text.append(line(child)).append('\n');
        }
        return text.toString();
    }

    private static String line(Child child) {
        return child.pid() + " " + child.startMillis() + " " + child.executable();
    }

    private static Optional<Child> parse(String line) {
        String[] parts = line.strip().split(" ", 3);
        if (parts.length < 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Child(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void write(Path file, String content) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String fileName(String command) {
        int slash = command.lastIndexOf('/');
        return slash < 0 ? command : command.substring(slash + 1);
    }

    /** Stops recording here; the file goes once no ledger of this JVM uses the directory. Idempotent. */
    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            int left = OPEN.merge(dir, -1, Integer::sum);
            if (left > 0) {
                return;
            }
            OPEN.remove(dir);
            try {
                Files.deleteIfExists(
                        dir.resolve(PREFIX + ProcessHandle.current().pid()));
            } catch (IOException e) {
                log.warn("cannot delete the record of child processes in {}: {}", dir, e.toString());
            }
        }
    }
}
