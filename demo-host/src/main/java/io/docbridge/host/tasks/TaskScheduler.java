package io.docbridge.host.tasks;

import java.time.Duration;
import java.util.Optional;

/**
 * Background work under one prefix of keys (the host's own tasks, say), as {@link HostScheduler#forPlugin} scopes
 * it. A task key names one piece of work (such as {@code health/<instanceId>}); one
 * key never runs twice at once: a run asked for while one is going is skipped, and the running one reports.
 */
public interface TaskScheduler {

    /**
     * Runs the task every {@code interval}, first after one interval; replaces an earlier task under the same key.
     */
    void schedule(String key, Duration interval, SyncTask task);

    /** Starts the task under the key now, in the background; false if there is no such task or it is running. */
    boolean runNow(String key);

    /** Stops scheduling the key; a run in progress finishes. */
    void cancel(String key);

    /** The key's state and last result, if it is scheduled. */
    Optional<TaskStatus> status(String key);
}
