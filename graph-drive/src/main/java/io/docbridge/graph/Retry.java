package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one retry policy for Microsoft calls (the SDK's own retry handler is switched off, so they do not stack):
 * throttling waits as long as Retry-After says; other transient failures back off exponentially with jitter; both
 * bounded by attempts and by a longest single wait. Everything else fails at once.
 */
final class Retry {
    private static final Logger log = LoggerFactory.getLogger(Retry.class);

    /** Something to try again; throws {@link PluginException} (already mapped) on failure. */
    interface Attempt<T> {
        T run() throws Exception;
    }

    /** Hears that a call waits before trying again, and why (so a sync can show "Throttled (resuming at …)"). */
    interface Waiting {
        Waiting NONE = (reason, wait) -> {
        };

        void waiting(String reason, Duration wait);
    }

    /** Sleeps; a test can make it record instead. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final int maxAttempts;
    private final Duration base;
    private final Duration longestWait;
    private final Sleeper sleeper;
    private final boolean repeatsTimeouts;
    private final io.docbridge.api.Metrics metrics;

    Retry(int maxAttempts, Duration base, Duration longestWait, Sleeper sleeper) {
        this(maxAttempts, base, longestWait, sleeper, true, io.docbridge.api.Metrics.NONE);
    }

    private Retry(int maxAttempts, Duration base, Duration longestWait, Sleeper sleeper, boolean repeatsTimeouts,
                  io.docbridge.api.Metrics metrics) {
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.longestWait = longestWait;
        this.sleeper = sleeper;
        this.repeatsTimeouts = repeatsTimeouts;
    }

    /** For background work (sync): patient, up to six attempts and waits of up to two minutes. */
    static Retry standard() {
        return new Retry(6, Duration.ofMillis(500), Duration.ofMinutes(2), d -> Thread.sleep(d.toMillis()));
    }

    /**
     * This policy with waits of at most {@code longest}: a longer Retry-After fails at once with its time, for a
     * scheduler to run the work again then instead of a thread sleeping.
     */
    Retry waitingAtMost(Duration longest) {
        return new Retry(maxAttempts, base, longestWait.compareTo(longest) < 0 ? longestWait : longest, sleeper,
                repeatsTimeouts, metrics);
    }

    /** This policy, counting each wait before a retry ({@code graph.retry.waits}, by reason) in {@code into}. */
    Retry counting(io.docbridge.api.Metrics into) {
        return new Retry(maxAttempts, base, longestWait, sleeper, repeatsTimeouts, into);
    }

    /**
     * This policy for a call a person waits on: at most three attempts, no wait over ten seconds, and an attempt that
     * timed out is not repeated (the person has already waited a whole answer time; the page says so instead).
     */
    Retry whilePersonWaits() {
        return new Retry(Math.min(maxAttempts, 3), base, longestWait.compareTo(Duration.ofSeconds(10)) < 0
                ? longestWait : Duration.ofSeconds(10), sleeper, false, metrics);
    }

    <T> T call(String what, Attempt<T> attempt) {
        return call(what, attempt, null);
    }

    /**
     * @param onUnauthorized run once when Graph answers 401 (the cached access token was refused), before one more
     *                       try; typically it makes the next token a freshly refreshed one
     */
    <T> T call(String what, Attempt<T> attempt, Runnable onUnauthorized) {
        return call(what, attempt, onUnauthorized, Waiting.NONE);
    }

    /** As {@link #call(String, Attempt, Runnable)}, telling {@code waiting} before each wait. */
    <T> T call(String what, Attempt<T> attempt, Runnable onUnauthorized, Waiting waiting) {
        return call(what, attempt, onUnauthorized, waiting, true);
    }

    /**
     * As {@link #call(String, Attempt, Runnable, Waiting)}; a call that is not {@code idempotent} (a create that may
     * have happened) is repeated only where Microsoft said it did nothing (throttling, 401), never after a lost
     * answer: its caller looks first.
     */
    <T> T call(String what, Attempt<T> attempt, Runnable onUnauthorized, Waiting waiting, boolean idempotent) {
        boolean refreshed = false;
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (Exception e) {
                PluginException failure = GraphErrors.map(e, what);
                if (!refreshed && onUnauthorized != null && failure.getCause() instanceof GraphErrors.GraphUnauthorized) {
                    refreshed = true;
                    onUnauthorized.run();
                    n--;
                    continue;
                }
                boolean repeatable = failure.kind() == ErrorKind.THROTTLED
                        || failure.kind() == ErrorKind.UNAVAILABLE && idempotent
                        || failure.kind() == ErrorKind.TIMED_OUT && idempotent && repeatsTimeouts;
                if (!repeatable || n >= maxAttempts) {
                    throw failure;
                }
                Duration wait = failure.kind() == ErrorKind.THROTTLED && failure.retryAfter().isPresent()
                        ? failure.retryAfter().get() : backoff(n);
                if (wait.compareTo(longestWait) > 0) {
                    throw failure; // waiting longer than this belongs to a scheduled retry, not a blocked thread
                }
                log.info("{} failed ({}), attempt {} of {}; retrying in {} ms", what, failure.kind(), n, maxAttempts,
                        wait.toMillis());
                waiting.waiting(reason(failure), wait);
                String why = failure.kind().name().toLowerCase(java.util.Locale.ROOT);
                metrics.count("graph.retry.waits", 1, "reason", why);
                metrics.time("graph.retry.wait", wait, "reason", why);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
            }
        }
    }

    /** A transient failure in the words people see in Microsoft 365's own apps. */
    static String reason(PluginException failure) {
        if (failure.kind() == ErrorKind.THROTTLED) {
            return "Throttled by Microsoft 365";
        }
        return failure.kind() == ErrorKind.TIMED_OUT ? "Timed out" : "Microsoft 365 is unavailable";
    }

    /** Whether a failure is the network's time-out (as opposed to a refusal, or a dropped connection). */
    static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.io.InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private Duration backoff(int attempt) {
        long ceiling = base.toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
