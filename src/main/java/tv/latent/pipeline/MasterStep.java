package tv.latent.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.ChannelConfig;
import tv.latent.generate.StageException;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.media.Captions;
import tv.latent.media.FfmpegException;
import tv.latent.media.Mastering;
import tv.latent.storage.MediaStore;

/**
 * The last stage of a job: one ffmpeg run that applies the filters of the stages planned since the
 * latest video file ({@link Fusion}) and encodes into the house format, the clip's provenance, and
 * the library row written in the same transaction that marks the job MASTERED. A crash before that
 * transaction leaves only a staging directory, which the next start sweeps.
 *
 * <p>Thread-safe: each call works in its own staging directory.
 */
final class MasterStep {
    private static final Logger LOG = LoggerFactory.getLogger(MasterStep.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore jobs;
    private final ClipLibrary library;
    private final DataLayout layout;
    private final Mastering mastering;
    private final Fusion fusion;
    private final OutputCheck check;
    private final InstantSource clock;
    private final MediaStore media;
    private final PipelineListener progress;

    MasterStep(
            JobStore jobs,
            ClipLibrary library,
            DataLayout layout,
            Mastering mastering,
            Fusion fusion,
            OutputCheck check,
            InstantSource clock,
            MediaStore media,
            PipelineListener progress) {
        this.media = media;
        this.jobs = jobs;
        this.library = library;
        this.layout = layout;
        this.mastering = mastering;
        this.fusion = fusion;
        this.check = check;
        this.clock = clock;
        this.progress = progress;
    }

    /**
     * Masters the job's latest video and its music into the channel's house format, moves the clip
     * into the library and marks the job MASTERED, in one transaction.
     */
    ShotJob master(ShotJob job, ChannelStages stages, long started)
            throws IOException, InterruptedException, SQLException {
        ChannelConfig channel = stages.channel();
        ShotJob.StageRecord video = job.videoBefore(JobState.MASTER);
        ShotJob.StageRecord music = job.outputs().get(JobState.SCORE);
        if (video == null || music == null) {
            throw new StageException(
                    "mastering needs the video and the music; have "
                            + job.outputs().keySet(),
                    false);
        }
        Fusion.Source source = fusion.source(job, JobState.MASTER);
        Path musicFile = layout.resolve(music.file());
        String lufs = music.params().get(OutputCheck.MEASURED_LUFS);
        int frames = channel.format().masteredFrames(check.durationOf(video));
        Narrated narrated = narrated(job, channel, channel.format().secondsFor(frames));
        String clipId = job.id();
        Path staging = Files.createTempDirectory(layout.tmp(), "master-" + clipId.substring(0, 8) + "-");
        try {
            Mastering.Mastered mastered;
            try {
                mastered = mastering.master(
                        new Mastering.Source(
                                source.file(),
                                source.filters(),
                                musicFile,
                                lufs == null ? Double.NaN : Double.parseDouble(lufs),
                                narrated == null ? null : narrated.voice()),
                        channel.format(),
                        frames,
                        staging,
                        job.plan().title(),
                        "LatentTV clip; made by " + describeMakers(job.outputs()),
                        fraction -> progress.progress(job, JobState.MASTER, fraction, ""));
            } catch (FfmpegException e) {
                throw fusion.blame(source, e, !e.diskFull());
            }
            if (narrated != null) {
                Files.writeString(
                        staging.resolve(Captions.FILE),
                        Captions.webVtt(List.of(narrated.cue())),
                        StandardCharsets.UTF_8);
            }
            Path clipDir = layout.clip(channel.id(), clipId);
            DataLayout.moveIntoPlace(staging, clipDir);
            // in the store before a row names them: every clip in the library can be served by any node
            for (String file : new String[] {"master.mp4", "thumb.jpg"}) {
                media.store(layout.relative(clipDir.resolve(file)), clipDir.resolve(file));
            }
            ShotJob.StageRecord record = new ShotJob.StageRecord(
                    layout.relative(clipDir.resolve("master.mp4")),
                    "ffmpeg",
                    Map.of(
                            "frames",
                            String.valueOf(frames),
                            "format",
                            channel.format().toString()),
                    Pipeline.seconds(started),
                    "");
            Instant now = clock.instant();
            ShotJob next = job.mastered(record, now);
            var info = mastered.info();
            var v = info.video().orElseThrow();
            Clip clip = new Clip(
                    clipId,
                    job.id(),
                    channel.id(),
                    job.plan().title(),
                    job.plan().prompt(),
                    job.plan().negativePrompt(),
                    job.plan().seed(),
                    StageChain.musicPrompt(job.plan(), channel),
                    job.director() + (job.directorNote().isEmpty() ? "" : " (" + job.directorNote() + ")"),
                    provenance(next.outputs()),
                    frames,
                    channel.format().fps(),
                    v.width(),
                    v.height(),
                    channel.format().secondsFor(frames),
                    Double.isNaN(mastered.loudnessLufs()) ? null : mastered.loudnessLufs(),
                    Files.size(clipDir.resolve("master.mp4")),
                    clipDir.resolve("master.mp4"),
                    clipDir.resolve("thumb.jpg"),
                    now,
                    false);
            ShotJob stored = jobs.database().write(c -> {
                library.insert(c, clip);
                return jobs.update(c, job, next);
            });
            DataLayout.deleteTree(layout.work(job.id()));
            try {
                media.deleteAll("work/" + job.id() + "/");
            } catch (IOException e) {
                LOG.warn("shot job {}: its stage outputs stay in {}: {}", job.id(), media, e.getMessage());
            }
            LOG.info(
                    "mastered clip {} for channel {}: {}",
                    clipId,
                    channel.id(),
                    job.plan().title());
            return stored;
        } finally {
            DataLayout.deleteTree(staging);
        }
    }

    /** The voice to mix and the caption to show, of a job whose line was spoken. */
    private record Narrated(Mastering.Voice voice, Captions.Cue cue) {}

    /**
     * The job's spoken line placed in a clip of {@code clipSeconds} ({@link NarrationFit}), or null
     * when the job has no voice.
     */
    private Narrated narrated(ShotJob job, ChannelConfig channel, double clipSeconds) throws StageException {
        ShotJob.StageRecord speech = job.outputs().get(JobState.SPEAK);
        if (speech == null) {
            return null;
        }
        String measured = speech.params().get(OutputCheck.MEASURED_SECONDS);
        String lufs = speech.params().get(OutputCheck.MEASURED_LUFS);
        if (measured == null) {
            throw new StageException("the voice's length was not measured; speak it again", false);
        }
        double seconds = Double.parseDouble(measured);
        NarrationFit.Placement place = NarrationFit.place(seconds, clipSeconds)
                .orElseThrow(() -> new StageException(
                        String.format(
                                Locale.ROOT,
                                "the voice lasts %.2f s, more than the %.2f s clip has room for",
                                seconds,
                                clipSeconds),
                        false));
        Mastering.Voice voice = new Mastering.Voice(
                layout.resolve(speech.file()),
                lufs == null ? Double.NaN : Double.parseDouble(lufs),
                place.delaySeconds(),
                place.tempo(),
                channel.narration().duckingDb(),
                place.spokenSeconds());
        String text = speech.params().getOrDefault(StageChain.TEXT, job.plan().narration());
        return new Narrated(voice, new Captions.Cue(place.delaySeconds(), place.captionEndSeconds(), text));
    }

    /** "render: procedural (procedural renderer, not AI), interpolate: ffmpeg, ..." for the clip's own tags. */
    private static String describeMakers(Map<JobState, ShotJob.StageRecord> outputs) {
        List<String> parts = new ArrayList<>();
        outputs.forEach((stage, r) -> {
            String note = r.params().getOrDefault("note", "");
            parts.add(stage.name().toLowerCase(Locale.ROOT) + ": " + r.backend()
                    + (note.isEmpty() ? "" : " (" + note + ")"));
        });
        return String.join(", ", parts);
    }

    private static String provenance(Map<JobState, ShotJob.StageRecord> outputs) {
        Map<String, Object> out = new LinkedHashMap<>();
        outputs.forEach((stage, r) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("backend", r.backend());
            entry.put("params", r.params());
            entry.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
            if (!r.fallback().isEmpty()) {
                entry.put("fallback", r.fallback());
            }
            out.put(stage.name().toLowerCase(Locale.ROOT), entry);
        });
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
