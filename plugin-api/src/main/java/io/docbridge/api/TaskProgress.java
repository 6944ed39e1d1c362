package io.docbridge.api;

/** Where a running task reports how far it got; cheap to call often. */
public interface TaskProgress {

    /**
     * @param itemsSeen      items read so far in this run
     * @param changesApplied changes written so far in this run
     * @param message        what it is doing now ("Reading changes", "Throttled, resuming at 10:42")
     */
    void report(long itemsSeen, long changesApplied, String message);

    /**
     * The task waits before it tries again, because the remote service throttled it or failed for a moment. The
     * host shows "reason (resuming at time)" until the next report; counts are unchanged.
     *
     * @param reason   what happened, in the service's words ("Throttled by Microsoft 365", "Timed out")
     * @param resumeAt when it tries again
     */
    default void waiting(String reason, java.time.Instant resumeAt) {
    }
}
