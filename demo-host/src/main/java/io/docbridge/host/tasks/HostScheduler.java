package io.docbridge.host.tasks;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.PlainScheduleAndData;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.docbridge.api.PluginException;
import io.docbridge.host.tasks.SyncTask;
import io.docbridge.api.TaskProgress;
import io.docbridge.host.tasks.TaskScheduler;
import io.docbridge.host.tasks.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs background tasks for the host and its plugins, on db-scheduler: every task's next run is a row in the
 * database, and one instance claims it with a row update, so with several host instances on one database each due
 * run happens exactly once, wherever it lands. A claim whose instance died is released when its heartbeat lapses, and
 * another instance runs it. Progress and results are saved to {@code task_last_runs}, so every instance shows the
 * same status and a restart forgets nothing.
 *
 * <p>What a run does is code, not data: each instance registers the same tasks at start ({@link #schedule}), or says
 * how to make one from its key ({@link #resolve}, for drives added on another instance).
 */
public final class HostScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostScheduler.class);
    private static final DateTimeFormatter RESUME_TIME = DateTimeFormatter
            .ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final String TASK = "docbridge";

    /** How often a running instance says it is alive, and how many missed beats make it dead. */
    public record Heartbeat(Duration interval, int missedLimit) {
        public static final Heartbeat STANDARD = new Heartbeat(Duration.ofSeconds(30), 4);
    }

    private final CustomTask<PlainScheduleAndData> recurring;
    private final Scheduler scheduler;
    private final Map<String, SyncTask> local = new ConcurrentHashMap<>();
    private final Map<String, Function<String, Optional<SyncTask>>> resolvers = new ConcurrentHashMap<>();
    /** New intervals asked for while a run was in progress here: the run's end applies them. */
    private final Map<String, Duration> intervalAfterRun = new ConcurrentHashMap<>();
    private final Clock clock;
    private final LastRuns lastRuns;
    private final MeterRegistry meters;

    /**
     * @param dataSource the host's database, holding {@code scheduled_tasks}
     * @param lastRuns   where each task's progress and last result are kept
     * @param meters     where each run's duration and outcome are counted ({@code docbridge.task.runs})
     */
    public HostScheduler(DataSource dataSource, Clock clock, LastRuns lastRuns, MeterRegistry meters,
                         Heartbeat heartbeat) {
        this(dataSource, clock, lastRuns, meters, heartbeat, "docbridge");
    }

    /** @param instanceName how this instance signs its claims ({@code picked_by}), for operators reading the table */
    public HostScheduler(DataSource dataSource, Clock clock, LastRuns lastRuns, MeterRegistry meters,
                         Heartbeat heartbeat, String instanceName) {
        this.clock = clock;
        this.lastRuns = lastRuns;
        this.meters = meters;
        // Each task's schedule is its data, so every instance runs it on the same interval. After a run the next one
        // is due an interval later, or when a throttled run was told to come back (Retry-After).
        this.recurring = Tasks.custom(TASK, PlainScheduleAndData.class)
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    String key = instance.getId();
                    Optional<Instant> resumeAt = run(key);
                    Duration changed = intervalAfterRun.remove(key);
                    PlainScheduleAndData data = changed == null ? instance.getData()
                            : new PlainScheduleAndData(FixedDelay.of(changed));
                    return (CompletionHandler<PlainScheduleAndData>) (complete, operations) -> {
                        operations.reschedule(complete,
                                resumeAt.orElseGet(() -> data.getSchedule().getNextExecutionTime(complete)), data);
                        // News that arrived while it ran: once more, now. Looked for only once the run is released,
                        // so news that comes later finds the task free and schedules its own run (runSoon).
                        if (resumeAt.isEmpty() && lastRuns.takeAgain(key)) {
                            runAgainNow(key);
                        }
                    };
                });
        this.scheduler = Scheduler.create(dataSource, recurring)
                .schedulerName(new SchedulerName.Fixed(instanceName + "-" + UUID.randomUUID().toString().substring(0, 8)))
                .threads(4)
                .pollingInterval(Duration.ofSeconds(1))
                .heartbeatInterval(heartbeat.interval())
                .missedHeartbeatsLimit(heartbeat.missedLimit())
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
        scheduler.start();
    }

    private static TaskInstanceId id(String key) {
        return TaskInstanceId.of(TASK, key);
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

    /**
     * How to make the task for keys that start with {@code keyPrefix} when this instance did not schedule it
     * itself (a drive added on another instance).
     */
    public void resolve(String keyPrefix, Function<String, Optional<SyncTask>> resolver) {
        resolvers.put(keyPrefix, resolver);
    }

    /**
     * Schedules a task every {@code interval}, or keeps its schedule if any instance scheduled it before (its next
     * run is in the database). The first run of a new task comes after between half and all of the interval, so
     * that many tasks scheduled at once do not all run at once.
     */
    public void schedule(String key, Duration interval, SyncTask task) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        local.put(key, task);
        long half = interval.toMillis() / 2;
        Instant first = clock.instant().plusMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
        PlainScheduleAndData every = new PlainScheduleAndData(FixedDelay.of(interval));
        if (!scheduler.scheduleIfNotExists(recurring.instance(key, every), first)) {
            Optional<ScheduledExecution<Object>> existing = scheduler.getScheduledExecution(id(key));
            boolean sameInterval = existing.map(e -> every.equals(e.getData())).orElse(true);
            if (!sameInterval) {
                reschedule(key, interval);
            }
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
        Optional<ScheduledExecution<Object>> existing = scheduler.getScheduledExecution(id(key));
        if (existing.isEmpty()) {
            return false;
        }
        if (status(key).map(TaskStatus::running).orElse(false)) {
            intervalAfterRun.put(key, interval); // the run, claimed or about to be, keeps its turn
            return true;
        }
        try {
            return scheduler.reschedule(id(key), clock.instant().plus(interval),
                    new PlainScheduleAndData(FixedDelay.of(interval)));
        } catch (RuntimeException startedMeanwhile) {
            intervalAfterRun.put(key, interval);
            return true;
        }
    }

    /** Runs a task now, on whichever instance claims it first. False if it is running (or no task has the key). */
    public boolean runNow(String key) {
        Optional<TaskStatus> now = status(key);
        if (now.isEmpty() || now.get().running()) {
            return false;
        }
        // Shown at once, on every instance, until the instance that claims it reports progress; saved before the
        // run can start, so it never overwrites the run's own progress.
        TaskStatus before = now.get();
        lastRuns.save(key, new TaskStatus(true, 0, 0, "Starting", before.lastSucceeded(), before.lastFinished()));
        boolean moved;
        try {
            moved = scheduler.reschedule(id(key), clock.instant());
        } catch (RuntimeException claimedMeanwhile) {
            log.debug("Task {} was not moved to now: {}", key, claimedMeanwhile.toString());
            moved = false;
        }
        if (!moved) {
            lastRuns.save(key, before);
        }
        return moved;
    }

    /**
     * Runs a task within {@code window}, or, if it is running, once more as soon as that run ends: news that arrives
     * mid-run (a change notification) is never lost, and all the news of one window costs one run.
     */
    public void runSoon(String key, Duration window) {
        Optional<ScheduledExecution<Object>> execution = scheduler.getScheduledExecution(id(key));
        if (execution.isEmpty()) {
            return;
        }
        if (execution.get().isPicked()) {
            lastRuns.requestAgain(key);
            if (scheduler.getScheduledExecution(id(key)).map(ScheduledExecution::isPicked).orElse(true)) {
                return; // the run will see the request when it ends
            }
            // it ended between the two looks and may not have seen the request: schedule the run here
        }
        Instant due = clock.instant().plus(window);
        boolean later = scheduler.getScheduledExecution(id(key)).map(e -> e.getExecutionTime().isAfter(due))
                .orElse(false);
        if (later) {
            try {
                scheduler.reschedule(id(key), due);
            } catch (RuntimeException claimedMeanwhile) {
                lastRuns.requestAgain(key); // an instance picked it just now: once more after that run
            }
        }
    }

    private void runAgainNow(String key) {
        try {
            scheduler.reschedule(id(key), clock.instant());
        } catch (RuntimeException claimedMeanwhile) {
            log.debug("Task {} was claimed again before its next run was moved: {}", key, claimedMeanwhile.toString());
        }
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
        local.remove(key);
        try {
            scheduler.cancel(id(key));
        } catch (RuntimeException e) {
            log.info("Task {} was not cancelled: {}", key, e.getMessage());
        }
    }

    /**
     * A task's status as every instance sees it: running while an instance has claimed it (a claim whose instance
     * died does not count), with the progress that instance saved. Empty if no task has the key.
     */
    public Optional<TaskStatus> status(String key) {
        Optional<ScheduledExecution<Object>> execution = scheduler.getScheduledExecution(id(key));
        if (execution.isEmpty()) {
            return Optional.empty();
        }
        TaskStatus saved = lastRuns.load(key).orElse(notRunYet());
        boolean claimed = execution.get().isPicked();
        boolean startingSoon = saved.running() && !claimed && !execution.get().getExecutionTime()
                .isAfter(clock.instant().plusSeconds(1));
        return Optional.of(new TaskStatus(claimed || startingSoon, saved.itemsSeen(), saved.changesApplied(),
                saved.message(), saved.lastSucceeded(), saved.lastFinished()));
    }

    private static TaskStatus notRunYet() {
        return new TaskStatus(false, 0, 0, "Not run yet", false, null);
    }

    private Optional<SyncTask> task(String key) {
        SyncTask task = local.get(key);
        if (task != null) {
            return Optional.of(task);
        }
        return resolvers.entrySet().stream().filter(r -> key.startsWith(r.getKey())).findFirst()
                .flatMap(r -> r.getValue().apply(key));
    }

    /** Runs a task here; returns when to resume it, if Microsoft asked to wait (its run is not over). */
    private Optional<Instant> run(String key) {
        Optional<SyncTask> task = task(key);
        if (task.isEmpty()) {
            log.warn("Task {} is due but not known on this instance (its plugin is not running here); skipped", key);
            return Optional.empty();
        }
        TaskStatus before = lastRuns.load(key).orElse(notRunYet());
        Progress progress = new Progress(key, before);
        progress.report(0, 0, "Starting");
        boolean ok = false;
        String summary;
        String outcome = "failed";
        long started = System.nanoTime();
        try {
            summary = task.get().run(progress);
            ok = true;
            outcome = "succeeded";
        } catch (PluginException e) {
            if (e.kind() == io.docbridge.api.ErrorKind.THROTTLED && e.retryAfter().isPresent()) {
                // The wait goes back to the scheduler: no worker thread sleeps for minutes, and after the wait any
                // instance may resume it (the sync keeps its position).
                Instant resumeAt = clock.instant().plus(e.retryAfter().get());
                progress.handBack("Throttled by Microsoft 365", resumeAt);
                log.info("Task {} throttled; resumes at {}", key, resumeAt);
                record(key, "throttled", started);
                return Optional.of(resumeAt);
            }
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
        record(key, outcome, started);
        progress.finish(ok, summary, clock.instant());
        return Optional.empty();
    }

    /** Tagged by the kind of task (a drive's sync, the health check), never by drive: bounded cardinality. */
    private void record(String key, String outcome, long startedNanos) {
        Timer.builder("docbridge.task.runs").description("Scheduled task runs (drive syncs, health checks)")
                .tag("task", key.contains("/") ? key.substring(0, key.indexOf('/')) : key).tag("outcome", outcome)
                .register(meters).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** A run's progress, saved for every instance to show. */
    private final class Progress implements TaskProgress {
        private final String key;
        private TaskStatus status;

        Progress(String key, TaskStatus before) {
            this.key = key;
            this.status = before;
        }

        @Override
        public synchronized void report(long itemsSeen, long changesApplied, String message) {
            save(new TaskStatus(true, itemsSeen, changesApplied, message, status.lastSucceeded(),
                    status.lastFinished()));
        }

        @Override
        public synchronized void waiting(String reason, Instant resumeAt) {
            save(new TaskStatus(true, status.itemsSeen(), status.changesApplied(), reason + " (resuming at "
                    + RESUME_TIME.format(resumeAt) + ")", status.lastSucceeded(), status.lastFinished()));
        }

        /** The run stops until {@code resumeAt}; what it did so far and the last result stay. */
        synchronized void handBack(String reason, Instant resumeAt) {
            save(new TaskStatus(false, status.itemsSeen(), status.changesApplied(), reason + " (resuming at "
                    + RESUME_TIME.format(resumeAt) + ")", status.lastSucceeded(), status.lastFinished()));
        }

        synchronized void finish(boolean ok, String summary, Instant at) {
            save(new TaskStatus(false, status.itemsSeen(), status.changesApplied(), summary, ok, at));
        }

        private void save(TaskStatus next) {
            status = next;
            try {
                lastRuns.save(key, next);
            } catch (RuntimeException e) {
                log.warn("The status of task {} could not be saved: {}", key, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
