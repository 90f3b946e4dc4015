package tv.latent.config;

import java.util.List;

/** The configuration is not valid; the message names the file, each key path and what is allowed. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String file, List<String> problems) {
        super(file + ": "
                + (problems.size() == 1
                        ? problems.get(0)
                        : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as "key.path: what is wrong (what is allowed)". */
    public List<String> problems() {
        return problems;
    }
}
