package io.docbridge.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsTest {
    @Test
    void theMedianIsAlwaysATimeThatWasSeen() {
        assertEquals(2.0, Results.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(3.0, Results.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(1.0, Results.min(List.of(4.0, 1.0, 3.0)));
    }

    @Test
    void theTableGivesMinAndMedianAndHowManyTimesFasterThanEachPeer() {
        Results results = new Results();
        for (double s : new double[]{2.0, 4.0, 3.0}) {
            results.add("upload", "curl", new Results.Measured(s / 2, 0.1, 10));
            results.add("upload", "rclone", new Results.Measured(s * 2, 1.0, 12));
            results.add("upload", "graph-drive", new Results.Measured(s, 0.5, 11));
            results.add("upload", SideBySide.WARM, new Results.Measured(s / 4, 0.2, 11));
        }
        results.add("listing", "rclone", new Results.Measured(6, 1, 500));
        results.add("listing", "graph-drive", new Results.Measured(2, 1, 100));
        results.add("listing", SideBySide.WARM, new Results.Measured(1.5, 1, 100));

        String table = results.table(3);
        assertTrue(table.contains("| upload | 1.00 / 1.50 s (0.1 s CPU, 10 req.) | 4.00 / 6.00 s (1.0 s CPU, 12 req.) "
                + "| 2.00 / 3.00 s (0.5 s CPU, 11 req.) | 0.50 / 0.75 s (0.2 s CPU, 11 req.) | 2.00× | 8.00× | 2.00× |"),
                table);
        assertTrue(table.contains("| listing | — | 6.00 / 6.00 s (1.0 s CPU, 500 req.) | 2.00 / 2.00 s (1.0 s CPU, "
                + "100 req.) | 1.50 / 1.50 s (1.0 s CPU, 100 req.) | 3.00× | 4.00× | — |"), table);
    }
}
