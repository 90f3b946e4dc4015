package tv.latent.bench;

import java.sql.DriverManager;

/** Prints how many shot jobs a LatentTV database holds (for bench scripts). */
public final class CountJobs {
    private CountJobs() {}

    public static void main(String[] args) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
                var s = c.createStatement();
                var r = s.executeQuery("SELECT COUNT(*) FROM shot_jobs")) {
            System.out.println(r.next() ? r.getLong(1) : 0);
        }
    }
}
