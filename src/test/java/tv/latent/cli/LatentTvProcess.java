package tv.latent.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test vocabulary: the real LatentTV command in its own JVM, on this test's classpath, output to a log file. */
final class LatentTvProcess {
    private LatentTvProcess() {}

    /** {@code latenttv ARGS --config CONFIG}, standard output and error to {@code log}; not started. */
    static ProcessBuilder builder(Path config, Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "tv.latent.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    }
}
