package io.docbridge.graph;

import okhttp3.Call;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Fails an upload fragment whose bytes stop moving: a server that stops reading leaves a socket write blocked for
 * ever, since a Java socket has no write timeout of its own. Okio's write timeout would do it, but it schedules and
 * wakes its watchdog thread for every write (16,384 times per gigabyte in 64 KiB writes), a quarter of an upload's
 * CPU. Here one thread looks at each fragment a few times per limit and cancels the call (closing its socket) once
 * its body has not moved for longer than the limit. A fragment waiting for its turn (the tenant's request limit) or
 * for the answer is not watched: the answer is guarded by the read timeout.
 */
final class StalledUploads {
    /**
     * One thread, and only while fragments are being sent: it ends after a few idle seconds, so that it never keeps
     * the Microsoft 365 library plugin's class loader alive after the plugin stops.
     */
    private static final ScheduledExecutorService CHECKS = checks();
    private static final long IDLE = Long.MAX_VALUE;

    private static ScheduledExecutorService checks() {
        ScheduledThreadPoolExecutor checks = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "graph-upload-stall-check");
            thread.setDaemon(true);
            return thread;
        });
        checks.setKeepAliveTime(5, TimeUnit.SECONDS);
        checks.allowCoreThreadTimeOut(true);
        checks.setRemoveOnCancelPolicy(true); // a finished fragment's check leaves the queue at once
        return checks;
    }

    private StalledUploads() {
    }

    /** When a fragment's body last moved; {@link #IDLE} while it is not being written. */
    static final class Progress {
        private volatile long movedAt = IDLE;
        private volatile boolean givenUp;

        void moved() {
            movedAt = System.nanoTime();
        }

        void idle() {
            movedAt = IDLE;
        }

        boolean stalledFor(long nanos) {
            long at = movedAt;
            return at != IDLE && System.nanoTime() - at > nanos;
        }

        /**
         * What the call's failure was: a time-out, as Okio's write timeout reported it, if this check gave the fragment
         * up (OkHttp itself only says "Canceled"); {@code failure} otherwise.
         */
        IOException explain(IOException failure, Duration limit) {
            if (!givenUp) {
                return failure;
            }
            SocketTimeoutException timeout = new SocketTimeoutException("Microsoft 365 took none of the upload's bytes "
                    + "for " + limit.toSeconds() + " s");
            timeout.initCause(failure);
            return timeout;
        }
    }

    /** A call being watched, until closed. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** Watches {@code call}'s body through {@code progress} until the returned handle is closed. */
    static Watch watch(Call call, Progress progress, Duration limit) {
        long limitNanos = limit.toNanos();
        long period = Math.max(10, Math.min(1000, limit.toMillis() / 4));
        ScheduledFuture<?> check = CHECKS.scheduleWithFixedDelay(() -> {
            if (progress.stalledFor(limitNanos)) {
                progress.givenUp = true;
                call.cancel();
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return () -> check.cancel(false);
    }
}
