/**
 * Media work on files, all of it through ffmpeg and ffprobe: the house format every clip is
 * mastered into ({@link tv.latent.media.HouseFormat}) and its check, mastering, probing
 * ({@link tv.latent.media.MediaInfo}; files from model servers within {@link
 * tv.latent.media.ProbeLimits} before anything decodes them), cutting into MPEG-TS segments and
 * rewriting their timestamps ({@link tv.latent.media.TsPackets}).
 *
 * <p>Owns the one process runner, {@link tv.latent.media.ChildProcess}: every child process
 * LatentTV starts (ffmpeg runs, the RTMP pusher's long-running ffmpeg, tools a stage needs) goes
 * through it, so stderr is always drained, stops are bounded and no child outlives the JVM, not
 * even one killed with SIGKILL ({@link tv.latent.media.ChildLedger}).
 * {@link tv.latent.media.Ffmpeg} bounds how many ffmpeg run at once.
 *
 * <p>May depend on: the JDK, Jackson and slf4j; on no other LatentTV package (stages, pipeline and
 * playout depend on it, not the reverse).
 */
package tv.latent.media;
