package tv.latent.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link FilterStage} will do to a video: its ffmpeg filters, in order, the shape of the
 * video they make, and, as a {@link StageOutput} does, the backend and the parameters to keep as
 * the stage's provenance. Immutable.
 *
 * @param backend what the stage's records say made it ("ffmpeg")
 * @param filters ffmpeg filters, each {@code name} or {@code name=options}, never a whole chain
 */
public record FilterPlan(String backend, List<String> filters, VideoShape output, Map<String, String> params) {
    public FilterPlan {
        filters = List.copyOf(filters);
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("a filter plan needs at least one filter");
        }
        for (String filter : filters) {
            if (filter.isBlank() || filter.indexOf(';') >= 0 || filter.indexOf('[') >= 0) {
                throw new IllegalArgumentException("not a single filter: \"" + filter + "\"");
            }
        }
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The filters as one chain for {@code -vf}. */
    public String chain() {
        return String.join(",", filters);
    }

    /**
     * The filters as one chain whose instances are named {@code label0}, {@code label1}, ... so
     * that ffmpeg's error messages say which stage a failing filter belongs to ({@code
     * [minterpolate@interpolate0 @ 0x...] ...}).
     *
     * @param label letters only, e.g. "interpolate"
     */
    public String chain(String label) {
        if (!label.matches("[a-z]+")) {
            throw new IllegalArgumentException("a filter label is lower-case letters, got \"" + label + "\"");
        }
        List<String> named = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            String filter = filters.get(i);
            int eq = filter.indexOf('=');
            String name = eq < 0 ? filter : filter.substring(0, eq);
            String options = eq < 0 ? "" : filter.substring(eq);
            named.add(name + "@" + label + i + options);
        }
        return String.join(",", named);
    }
}
