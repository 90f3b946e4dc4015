package tv.latent.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real LatentTV command line as a process of its own, for tests that kill it or read its output. */
final class LatentTvProcess {
    private LatentTvProcess() {}

    /**
     * {@code java -cp <this classpath> tv.latent.cli.Main args... --config config}, standard output
     * and error into {@code log}; add to its environment before starting it.
     */
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
