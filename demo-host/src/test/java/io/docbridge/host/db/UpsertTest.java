package io.docbridge.host.db;

import io.docbridge.host.testing.Postgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Insert-or-update when two writers meet on a key nobody has written yet, as two instances starting at once save the
 * same host task's status: both succeed, the row is there once, and columns not named keep their values.
 */
class UpsertTest {
    @TempDir
    Path data;

    @Test
    void writersMeetingOnANewKeyBothSucceedInH2() throws Exception {
        try (Database db = Database.open(Database.defaultUrl(data), "sa", "")) {
            writersMeetOnNewKeys(db.jdbi());
        }
    }

    @Test
    void writersMeetingOnANewKeyBothSucceedInPostgres() throws Exception {
        try (Postgres postgres = Postgres.create();
             Database db = Database.open(postgres.url(), postgres.user(), postgres.password())) {
            writersMeetOnNewKeys(db.jdbi());
        }
    }

    private static void writersMeetOnNewKeys(Jdbi db) throws Exception {
        for (int round = 0; round < 50; round++) {
            String key = "host:task-" + round;
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (String message : List.of("first", "second")) {
                writers.add(CompletableFuture.runAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    db.useTransaction(h -> Upsert.run(h, "task_last_runs", Map.of("task_key", key), Map.of(
                            "message", message, "succeeded", true, "items_seen", 0L, "changes_applied", 0L,
                            "running", false)));
                }));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(); // neither failed
        }
        long rows = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM task_last_runs").mapTo(Long.class).one());
        assertEquals(50, rows);

        db.useHandle(h -> h.execute("UPDATE task_last_runs SET run_again = TRUE WHERE task_key = 'host:task-0'"));
        db.useTransaction(h -> Upsert.run(h, "task_last_runs", Map.of("task_key", "host:task-0"),
                Map.of("message", "again", "succeeded", false, "items_seen", 1L, "changes_applied", 1L,
                        "running", false)));
        boolean runAgain = db.withHandle(h -> h.createQuery("SELECT run_again FROM task_last_runs WHERE task_key = "
                + "'host:task-0'").mapTo(Boolean.class).one());
        assertTrue(runAgain, "a column not named was overwritten");
        assertEquals("again", db.withHandle(h -> h.createQuery("SELECT message FROM task_last_runs WHERE task_key = "
                + "'host:task-0'").mapTo(String.class).one()));
    }
}
