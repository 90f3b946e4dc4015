package tv.latent.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropOldestQueueTest {

    @Test
    void aFullQueueMakesRoomByDroppingItsOldestAndCountsIt() throws InterruptedException {
        DropOldestQueue<Integer> queue = new DropOldestQueue<>(3);
        for (int n = 1; n <= 5; n++) {
            queue.add(n);
        }

        assertThat(queue.dropped()).isEqualTo(2);
        assertThat(queue.take()).isEqualTo(3);
        List<Integer> rest = new ArrayList<>();
        queue.drainTo(rest);
        assertThat(rest).containsExactly(4, 5);
    }
}
