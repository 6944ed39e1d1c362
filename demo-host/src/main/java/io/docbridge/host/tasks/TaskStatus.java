package io.docbridge.host.tasks;

import java.time.Instant;

/**
 * A scheduled task as the host shows it.
 *
 * @param running        whether it is running now
 * @param itemsSeen      progress of the current run, or of the last one
 * @param changesApplied progress of the current run, or of the last one
 * @param message        the current progress message, or the last run's summary or error
 * @param lastSucceeded  whether the last finished run succeeded (false before the first run)
 * @param lastFinished   when the last run finished; null before the first run
 */
public record TaskStatus(boolean running, long itemsSeen, long changesApplied, String message,
                         boolean lastSucceeded, Instant lastFinished) {
}
