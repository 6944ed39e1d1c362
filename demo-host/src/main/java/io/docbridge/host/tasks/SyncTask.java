package io.docbridge.host.tasks;

import io.docbridge.api.TaskProgress;

/** Background work the host schedules (a drive's sync, a health check). */
@FunctionalInterface
public interface SyncTask {

    /**
     * Does the work once, reporting progress as it goes.
     *
     * @return a one-line summary for the status display ("42 changes applied")
     * @throws PluginException or any other exception, which the scheduler records as the run's result; the task is
     *                         still run at the next interval
     */
    String run(TaskProgress progress) throws Exception;
}
