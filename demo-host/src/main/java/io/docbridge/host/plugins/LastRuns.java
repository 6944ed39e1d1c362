package io.docbridge.host.plugins;

import io.docbridge.api.TaskStatus;
import io.docbridge.host.db.Upsert;
import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Where the scheduler keeps each task's last result, so that a restart does not forget it. Thread-safe. */
public interface LastRuns {

    /** The last finished run of a task, if it ever finished. */
    Optional<TaskStatus> load(String key);

    /** Records a finished run (its status has {@code running} false and a {@code lastFinished} time). */
    void save(String key, TaskStatus finished);

    /** Forgets a task's runs (the task is gone for good). */
    void forget(String key);

    /** Kept in memory only: for tests and for tasks nothing needs to remember. */
    static LastRuns inMemory() {
        Map<String, TaskStatus> runs = new ConcurrentHashMap<>();
        return new LastRuns() {
            @Override
            public Optional<TaskStatus> load(String key) {
                return Optional.ofNullable(runs.get(key));
            }

            @Override
            public void save(String key, TaskStatus finished) {
                runs.put(key, finished);
            }

            @Override
            public void forget(String key) {
                runs.remove(key);
            }
        };
    }

    /** In the host's database, table {@code task_last_runs}. */
    static LastRuns in(Jdbi db) {
        return new LastRuns() {
            @Override
            public Optional<TaskStatus> load(String key) {
                return db.withHandle(h -> h.createQuery("SELECT * FROM task_last_runs WHERE task_key = :k")
                        .bind("k", key).map((rs, ctx) -> new TaskStatus(false, rs.getLong("items_seen"),
                                rs.getLong("changes_applied"), rs.getString("message"), rs.getBoolean("succeeded"),
                                rs.getObject("finished_at", OffsetDateTime.class).toInstant())).findOne());
            }

            @Override
            public void save(String key, TaskStatus finished) {
                String message = finished.message().length() > 4000 ? finished.message().substring(0, 4000)
                        : finished.message();
                db.useTransaction(h -> Upsert.run(h, "task_last_runs", Map.of("task_key", key), Map.of(
                        "message", message, "succeeded", finished.lastSucceeded(),
                        "items_seen", finished.itemsSeen(), "changes_applied", finished.changesApplied(),
                        "finished_at", finished.lastFinished().atOffset(ZoneOffset.UTC))));
            }

            @Override
            public void forget(String key) {
                db.useHandle(h -> h.createUpdate("DELETE FROM task_last_runs WHERE task_key = :k").bind("k", key)
                        .execute());
            }
        };
    }
}
