package io.docbridge.host.tasks;

import io.docbridge.host.tasks.TaskStatus;
import io.docbridge.host.db.Upsert;
import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Where the scheduler keeps each task's status: its progress while it runs and its last result after, so that a
 * restart does not forget it and every instance of a cluster shows the same. Thread-safe.
 */
public interface LastRuns {

    /** The task's status as last saved (running or finished), if it ever ran. */
    Optional<TaskStatus> load(String key);

    /** Records a task's status: its progress while it runs, or a finished run. */
    void save(String key, TaskStatus status);

    /** Forgets a task's runs (the task is gone for good). */
    void forget(String key);

    /** Asks for one more run as soon as the running one ends (it may have read its source before the news). */
    void requestAgain(String key);

    /** Whether one more run was asked for, clearing the request; true for at most one caller. */
    boolean takeAgain(String key);

    /** In the host's database, table {@code task_last_runs}. */
    static LastRuns in(Jdbi db) {
        return new LastRuns() {
            @Override
            public Optional<TaskStatus> load(String key) {
                return db.withHandle(h -> h.createQuery("SELECT * FROM task_last_runs WHERE task_key = :k")
                        .bind("k", key).map((rs, ctx) -> {
                            OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
                            return new TaskStatus(rs.getBoolean("running"), rs.getLong("items_seen"),
                                    rs.getLong("changes_applied"), rs.getString("message"), rs.getBoolean("succeeded"),
                                    finished == null ? null : finished.toInstant());
                        }).findOne());
            }

            @Override
            public void save(String key, TaskStatus status) {
                String message = status.message().length() > 4000 ? status.message().substring(0, 4000)
                        : status.message();
                Map<String, Object> values = new java.util.HashMap<>();
                values.put("message", message);
                values.put("succeeded", status.lastSucceeded());
                values.put("items_seen", status.itemsSeen());
                values.put("changes_applied", status.changesApplied());
                values.put("running", status.running());
                if (status.lastFinished() != null) { // a first run in progress has none yet (the column stays NULL)
                    values.put("finished_at", status.lastFinished().atOffset(ZoneOffset.UTC));
                }
                db.useTransaction(h -> Upsert.run(h, "task_last_runs", Map.of("task_key", key), values));
            }

            @Override
            public void requestAgain(String key) {
                db.useHandle(h -> h.createUpdate("UPDATE task_last_runs SET run_again = TRUE WHERE task_key = :k")
                        .bind("k", key).execute());
            }

            @Override
            public boolean takeAgain(String key) {
                return db.withHandle(h -> h.createUpdate("UPDATE task_last_runs SET run_again = FALSE "
                        + "WHERE task_key = :k AND run_again").bind("k", key).execute()) > 0;
            }

            @Override
            public void forget(String key) {
                db.useHandle(h -> h.createUpdate("DELETE FROM task_last_runs WHERE task_key = :k").bind("k", key)
                        .execute());
            }
        };
    }
}
