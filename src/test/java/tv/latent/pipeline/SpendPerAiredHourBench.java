package tv.latent.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * Calls and spend per aired hour of a channel on a paid render backend, with the lookahead against
 * a naive "keep generating" loop, simulated on a virtual clock (an hour of real time per run would
 * be no benchmark): a first hour fills the lookahead, the second is measured. The lookahead's decisions are the real ones: {@link
 * Lookahead#shotsWanted} on the channel's unaired fresh seconds, checked every second, with its
 * in-flight cap ({@code max(MAX_BATCH, 2 × jobs at once)}); the naive loop keeps every backend slot
 * busy. Playout airs fresh clips first, in order, then reruns; the slate until the first clip.
 *
 * <pre>bench/spend.sh [K] [L seconds] [clip seconds] [price per call] [lookahead seconds]</pre>
 */
public final class SpendPerAiredHourBench {
    private SpendPerAiredHourBench() {}

    /** What the measured aired hour cost and aired, and what was made but not aired at its end. */
    record Hour(int calls, int freshAired, int madeNotAired, double rerunShare, int starved) {}

    public static void main(String[] args) {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        double latency = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        double clip = args.length > 2 ? Double.parseDouble(args[2]) : 64 / 24.0;
        double price = args.length > 3 ? Double.parseDouble(args[3]) : 0.05;
        int lookahead = args.length > 4 ? Integer.parseInt(args[4]) : 180;
        Hour paced = simulate(k, latency, clip, lookahead, true);
        Hour naive = simulate(k, latency, clip, lookahead, false);
        System.out.printf(
                Locale.ROOT,
                "K=%d L=%.0fs clip=%.2fs price=%.3f lookahead=%ds: production %.3f clips/s, consumption %.3f clips/s%n",
                k,
                latency,
                clip,
                price,
                lookahead,
                k / latency,
                1 / clip);
        System.out.printf(
                Locale.ROOT,
                "%-10s %8s %10s %12s %14s %12s %9s%n",
                "loop",
                "calls/h",
                "spend/h",
                "fresh aired",
                "made, unaired",
                "rerun share",
                "starved");
        for (var row : new Object[][] {{"lookahead", paced}, {"naive", naive}}) {
            Hour h = (Hour) row[1];
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %8d %10.2f %12d %14d %11.1f%% %9d%n",
                    row[0],
                    h.calls(),
                    h.calls() * price,
                    h.freshAired(),
                    h.madeNotAired(),
                    100 * h.rerunShare(),
                    h.starved());
        }
        System.out.printf(
                Locale.ROOT,
                "naive / lookahead: %.2f× the calls and spend per aired hour%n",
                (double) naive.calls() / Math.max(1, paced.calls()));
    }

    static Hour simulate(int k, double latency, double clip, int lookaheadSeconds, boolean paced) {
        final double hour = 3600;
        final double end = 2 * hour;
        final double step = 0.05;
        int inFlightCap = Math.max(Lookahead.MAX_BATCH, 2 * k);
        Deque<Double> waiting = new ArrayDeque<>(); // submitted, waiting for a backend slot
        PriorityQueue<Double> running = new PriorityQueue<>(); // finish times
        int ready = 0;
        int library = 0;
        int calls = 0;
        int freshAired = 0;
        int starved = 0;
        double rerunSeconds = 0;
        double airEnd = 0;
        boolean airingFresh = false;
        double nextTick = 0;
        int callsBefore = 0;
        int freshBefore = 0;
        int starvedBefore = 0;
        double rerunBefore = 0;
        boolean measuring = false;
        for (double t = 0; t < end; t += step) {
            if (!measuring && t >= hour) {
                measuring = true;
                callsBefore = calls;
                freshBefore = freshAired;
                starvedBefore = starved;
                rerunBefore = rerunSeconds;
            }
            while (!running.isEmpty() && running.peek() <= t) {
                running.poll();
                ready++;
                library++;
            }
            while (running.size() < k && !waiting.isEmpty()) {
                waiting.poll();
                running.add(t + latency);
                calls++;
            }
            if (t >= airEnd) {
                if (ready > 0) {
                    ready--;
                    freshAired++;
                    airingFresh = true;
                } else {
                    if (library > 0) {
                        starved++;
                        rerunSeconds += clip;
                    }
                    airingFresh = false;
                }
                airEnd = t + clip;
            }
            if (t >= nextTick) {
                nextTick += 1;
                int unfinished = waiting.size() + running.size();
                if (paced) {
                    double fresh = ready * clip + (airingFresh ? airEnd - t : 0);
                    int wanted = Lookahead.shotsWanted(fresh, lookaheadSeconds, clip, unfinished);
                    wanted = Math.min(wanted, Math.max(0, inFlightCap - unfinished));
                    for (int i = 0; i < wanted; i++) {
                        waiting.add(t);
                    }
                } else {
                    while (waiting.size() + running.size() < k) {
                        waiting.add(t);
                    }
                }
            }
        }
        return new Hour(
                calls - callsBefore,
                freshAired - freshBefore,
                ready + running.size() + waiting.size(),
                (rerunSeconds - rerunBefore) / hour,
                starved - starvedBefore);
    }
}
