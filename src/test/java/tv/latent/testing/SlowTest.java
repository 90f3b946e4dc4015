package tv.latent.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Marks an end-to-end test, which takes seconds of both cores: a real browser, real RTMP servers,
 * a killed process, a station or the demo starting up, whole shot jobs through the pipeline, a
 * library of 100,000 clips, or a long ffmpeg run. The fast loop leaves these out (it stays under
 * about two minutes that way), CI runs them:
 *
 * <pre>
 * ./latenttv test fast                    # or: ./mvnw test -DexcludedGroups=slow
 * ./latenttv test                         # everything
 * </pre>
 *
 * <p>Put it on a test class, or on a test method beside {@code @Test}. A slow test may run for ten
 * minutes before it is stopped, where every other test gets the five minutes set in
 * {@code junit-platform.properties}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag("slow")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
public @interface SlowTest {}
