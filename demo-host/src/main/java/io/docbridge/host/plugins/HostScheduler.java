package io.docbridge.host.plugins;

import io.docbridge.api.PluginException;
import io.docbridge.api.SyncTask;
import io.docbridge.api.TaskProgress;
import io.docbridge.api.TaskScheduler;
import io.docbridge.api.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs background tasks for the host and its plugins: a timer thread that only starts runs, and a small pool that
 * does them, so a long sync never delays another task's timer. One key never runs twice at once.
 */
public final class HostScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostScheduler.class);
    private static final DateTimeFormatter RESUME_TIME = DateTimeFormatter
            .ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "docbridge-timer"));
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> daemon(r, "docbridge-task"));
    private final Map<String, Entry> tasks = new ConcurrentHashMap<>();
    private final Clock clock;

    private final LastRuns lastRuns;
    private final MeterRegistry meters;

    /** A scheduler that forgets its tasks' last results at restart (tests). */
    public HostScheduler(Clock clock) {
        this(clock, LastRuns.inMemory());
    }

    /** @param lastRuns where each task's last result is kept, so a restart (or a re-schedule) shows it */
    public HostScheduler(Clock clock, LastRuns lastRuns) {
        this(clock, lastRuns, new SimpleMeterRegistry());
    }

    /** @param meters where each run's duration and outcome are counted ({@code docbridge.task.runs}) */
    public HostScheduler(Clock clock, LastRuns lastRuns, MeterRegistry meters) {
        this.clock = clock;
        this.lastRuns = lastRuns;
        this.meters = meters;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The scheduler as one plugin sees it: its keys live apart from every other plugin's. */
    public TaskScheduler forPlugin(String pluginId) {
        String prefix = pluginId + ":";
        return new TaskScheduler() {
            @Override
            public void schedule(String key, Duration interval, SyncTask task) {
                HostScheduler.this.schedule(prefix + key, interval, task);
            }

            @Override
            public boolean runNow(String key) {
                return HostScheduler.this.runNow(prefix + key);
            }

            @Override
            public void cancel(String key) {
                HostScheduler.this.cancel(prefix + key);
            }

            @Override
            public Optional<TaskStatus> status(String key) {
                return HostScheduler.this.status(prefix + key);
            }
        };
    }

    /** Forgets every task of a plugin (when it stops). */
    public void cancelAll(String pluginId) {
        tasks.keySet().stream().filter(k -> k.startsWith(pluginId + ":")).forEach(this::cancel);
    }

    public void schedule(String key, Duration interval, SyncTask task) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        Entry entry = new Entry(task);
        try {
            lastRuns.load(key).ifPresent(entry::restore);
        } catch (RuntimeException e) {
            log.warn("The last result of task {} could not be read: {}", key, e.getMessage());
        }
        entry.timer = timer.scheduleWithFixedDelay(() -> start(key, entry), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        Entry old = tasks.put(key, entry);
        if (old != null) {
            old.timer.cancel(false);
        }
    }

    /**
     * Changes how often a scheduled task runs, counting from now. Its last result and a run in progress carry over
     * (so it never runs twice at once). False if no task has the key.
     */
    public boolean reschedule(String key, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        Entry entry = tasks.get(key);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            ScheduledFuture<?> old = entry.timer;
            entry.timer = timer.scheduleWithFixedDelay(() -> start(key, entry), interval.toMillis(),
                    interval.toMillis(), TimeUnit.MILLISECONDS);
            old.cancel(false);
        }
        return true;
    }

    public boolean runNow(String key) {
        Entry entry = tasks.get(key);
        return entry != null && start(key, entry);
    }

    /** Cancels a task for good: its last result is forgotten too. */
    public void forget(String key) {
        cancel(key);
        try {
            lastRuns.forget(key);
        } catch (RuntimeException e) {
            log.warn("The last result of task {} could not be forgotten: {}", key, e.getMessage());
        }
    }

    public void cancel(String key) {
        Entry entry = tasks.remove(key);
        if (entry != null) {
            entry.timer.cancel(false);
        }
    }

    public Optional<TaskStatus> status(String key) {
        return Optional.ofNullable(tasks.get(key)).map(Entry::status);
    }

    private boolean start(String key, Entry entry) {
        if (!entry.running.compareAndSet(false, true)) {
            return false;
        }
        entry.progress(0, 0, "Starting");
        workers.execute(() -> run(key, entry));
        return true;
    }

    private void run(String key, Entry entry) {
        boolean ok = false;
        String summary;
        String outcome = "failed";
        long started = System.nanoTime();
        try {
            summary = entry.task.run(new TaskProgress() {
                @Override
                public void report(long itemsSeen, long changesApplied, String message) {
                    entry.progress(itemsSeen, changesApplied, message);
                }

                @Override
                public void waiting(String reason, Instant resumeAt) {
                    entry.waiting(reason + " (resuming at " + RESUME_TIME.format(resumeAt) + ")");
                }
            });
            ok = true;
            outcome = "succeeded";
        } catch (PluginException e) {
            summary = e.kind().title() + ": " + e.getMessage();
            outcome = e.kind().name().toLowerCase(java.util.Locale.ROOT);
            log.warn("Task {} failed: {}", key, summary);
        } catch (Throwable e) {
            // People see the status: no SQL, no class names, no stack; the log has them, under a reference.
            String reference = Long.toString(System.nanoTime() & 0xffffff, 36);
            summary = "Failed: an internal error (reference " + reference + "). If it happens again, give the "
                    + "administrator the reference.";
            log.error("Task {} failed (reference {})", key, reference, e);
        }
        entry.finish(ok, summary, clock.instant());
        // Tagged by the kind of task (a drive's sync, the health check), never by drive: bounded cardinality.
        Timer.builder("docbridge.task.runs").description("Scheduled task runs (drive syncs, health checks)")
                .tag("task", key.contains("/") ? key.substring(0, key.indexOf('/')) : key).tag("outcome", outcome)
                .register(meters).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        try {
            lastRuns.save(key, entry.status());
        } catch (RuntimeException e) {
            log.warn("The result of task {} could not be kept: {}", key, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
    }

    private static final class Entry {
        final SyncTask task;
        final AtomicBoolean running = new AtomicBoolean();
        volatile ScheduledFuture<?> timer;
        private TaskStatus status = new TaskStatus(false, 0, 0, "Not run yet", false, null);

        Entry(SyncTask task) {
            this.task = task;
        }

        synchronized void restore(TaskStatus last) {
            if (!running.get()) {
                status = last;
            }
        }

        synchronized void progress(long seen, long applied, String message) {
            status = new TaskStatus(true, seen, applied, message, status.lastSucceeded(), status.lastFinished());
        }

        synchronized void waiting(String message) {
            progress(status.itemsSeen(), status.changesApplied(), message);
        }

        synchronized void finish(boolean ok, String summary, Instant at) {
            status = new TaskStatus(false, status.itemsSeen(), status.changesApplied(), summary, ok, at);
            running.set(false);
        }

        synchronized TaskStatus status() {
            return status;
        }
    }
}
