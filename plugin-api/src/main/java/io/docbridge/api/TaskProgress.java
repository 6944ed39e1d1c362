package io.docbridge.api;

/** Where a running task reports how far it got; cheap to call often. */
public interface TaskProgress {

    /**
     * @param itemsSeen      items read so far in this run
     * @param changesApplied changes written so far in this run
     * @param message        what it is doing now ("Reading changes", "Throttled, resuming at 10:42")
     */
    void report(long itemsSeen, long changesApplied, String message);
}
