package tv.latent.generate.remote;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import tv.latent.backend.a1111.A1111Exception;
import tv.latent.backend.comfyui.ComfyUiException;
import tv.latent.backend.fal.FalException;
import tv.latent.backend.gradio.GradioException;
import tv.latent.backend.replicate.ReplicateException;
import tv.latent.backend.speech.SpeechException;
import tv.latent.generate.ContentRefusedException;
import tv.latent.generate.StageException;

/**
 * Turns protocol clients' failures into stage failures, keeping their word on retrying and how
 * long the server asked to be left alone ({@code Retry-After}).
 */
final class Failures {
    private Failures() {}

    static StageException toStage(String backend, Throwable e) {
        if (e instanceof StageException s) {
            return s;
        }
        String message = backend + ": " + e.getMessage();
        return switch (e) {
            case GradioException g ->
                new StageException(message, g.retryable(), g, g.retryAfter().orElse(null));
            case A1111Exception a ->
                new StageException(message, a.retryable(), a, a.retryAfter().orElse(null));
            case ComfyUiException c ->
                new StageException(message, c.retryable(), c, c.retryAfter().orElse(null));
            case FalException f
            when f.kind() == FalException.Kind.CONTENT_POLICY -> new ContentRefusedException(message, f);
            case FalException f ->
                new StageException(message, f.retryable(), f, f.retryAfter().orElse(null));
            case ReplicateException r
            when r.kind() == ReplicateException.Kind.CONTENT_POLICY -> new ContentRefusedException(message, r);
            case ReplicateException r ->
                new StageException(message, r.retryable(), r, r.retryAfter().orElse(null));
            case SpeechException sp ->
                new StageException(message, sp.retryable(), sp, sp.retryAfter().orElse(null));
            case HttpTimeoutException t -> new StageException(message, true, t);
            case IOException io -> new StageException(message, true, io);
            // a client refusing its arguments: a configuration or input problem no retry fixes
            default -> new StageException(message, false, e);
        };
    }
}
