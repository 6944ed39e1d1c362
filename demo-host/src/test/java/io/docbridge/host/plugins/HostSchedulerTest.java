package io.docbridge.host.plugins;

import io.docbridge.api.PluginException;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.TaskScheduler;
import io.docbridge.api.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostSchedulerTest {
    final HostScheduler scheduler = new HostScheduler(Clock.systemUTC());

    @AfterEach
    void close() {
        scheduler.close();
    }

    private static TaskStatus awaitFinished(TaskScheduler tasks, String key) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            TaskStatus status = tasks.status(key).orElseThrow();
            if (!status.running() && status.lastFinished() != null) {
                return status;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the task did not finish");
    }

    @Test
    void runNowRunsAtOnceAndRecordsTheSummary() throws Exception {
        TaskScheduler tasks = scheduler.forPlugin("p");
        tasks.schedule("sync", Duration.ofHours(1), progress -> {
            progress.report(5, 2, "working");
            return "2 changes applied";
        });

        assertTrue(tasks.runNow("sync"));
        TaskStatus status = awaitFinished(tasks, "sync");

        assertTrue(status.lastSucceeded());
        assertEquals("2 changes applied", status.message());
        assertEquals(5, status.itemsSeen());
    }

    @Test
    void theLastResultOutlivesARestartOfTheScheduler() throws Exception {
        LastRuns kept = LastRuns.inMemory();
        HostScheduler before = new HostScheduler(Clock.systemUTC(), kept);
        before.schedule("p:sync", Duration.ofHours(1), progress -> {
            progress.report(7, 3, "working");
            return "3 changes applied";
        });
        assertTrue(before.runNow("p:sync"));
        awaitFinished(before.forPlugin("p"), "sync");
        before.close();

        HostScheduler after = new HostScheduler(Clock.systemUTC(), kept);
        after.schedule("p:sync", Duration.ofHours(1), progress -> "unused");
        TaskStatus status = after.status("p:sync").orElseThrow();
        after.close();

        assertEquals("3 changes applied", status.message());
        assertTrue(status.lastSucceeded() && status.lastFinished() != null && status.itemsSeen() == 7);
        assertFalse(status.running());
    }

    @Test
    void anUnexpectedFailureShowsPeopleAReferenceNeverSqlOrAClassName() throws Exception {
        TaskScheduler tasks = scheduler.forPlugin("p");
        tasks.schedule("sync", Duration.ofHours(1), progress -> {
            throw new IllegalStateException("UPDATE drive_items SET name = 'secret plan' WHERE id = 7");
        });

        assertTrue(tasks.runNow("sync"));
        TaskStatus status = awaitFinished(tasks, "sync");

        assertFalse(status.lastSucceeded());
        assertTrue(status.message().contains("internal error (reference "), status.message());
        assertFalse(status.message().contains("UPDATE") || status.message().contains("secret plan")
                || status.message().contains("IllegalStateException"), status.message());
    }

    @Test
    void aFailedStatementNamesTheStatementButNotItsBoundValues(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (var db = io.docbridge.host.db.Database.open(io.docbridge.host.db.Database.defaultUrl(dir), "sa", "")) {
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () ->
                    db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO plugin_secrets (plugin_id, name, ciphertext) "
                            + "VALUES (:p, :n, :c)").bind("p", "p").bind("n", "n").bind("c", (String) null).execute()));
            assertTrue(e.getMessage().contains("INSERT INTO plugin_secrets"), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () ->
                    db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO plugin_secrets (plugin_id, name, ciphertext) "
                            + "VALUES (:p, :n, :c)").bind("p", "p").bind("n", "refresh-token-of-adele").bind("c",
                            "x".repeat(200_000)).execute()));
            assertFalse(e.getMessage().contains("refresh-token-of-adele"), e.getMessage());
        }
    }

    @Test
    void aTaskThatWaitsToRetryShowsWhenItResumesAndKeepsItsCounts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TaskScheduler tasks = scheduler.forPlugin("p");
        tasks.schedule("sync", Duration.ofHours(1), progress -> {
            progress.report(40, 12, "Read 40 changes");
            progress.waiting("Throttled by Microsoft 365", java.time.Instant.parse("2026-11-22T21:42:10Z"));
            release.await();
            return "done";
        });
        assertTrue(tasks.runNow("sync"));
        TaskStatus waiting = null;
        for (int i = 0; i < 500 && (waiting == null || !waiting.message().startsWith("Throttled")); i++) {
            Thread.sleep(10);
            waiting = tasks.status("sync").orElseThrow();
        }
        release.countDown();
        assertEquals("Throttled by Microsoft 365 (resuming at 21:42:10 UTC)", waiting.message());
        assertTrue(waiting.running());
        assertEquals(40, waiting.itemsSeen());
        assertEquals(12, waiting.changesApplied());
        assertEquals("done", awaitFinished(tasks, "sync").message());
    }

    @Test
    void reschedulingKeepsTheLastResultAndARunInProgress() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule("host:slow", Duration.ofHours(1), progress -> {
            runs.incrementAndGet();
            release.await();
            return "done";
        });
        assertTrue(scheduler.runNow("host:slow"));

        assertTrue(scheduler.reschedule("host:slow", Duration.ofMinutes(30)));
        assertFalse(scheduler.runNow("host:slow"), "a second run started while the first was running");
        release.countDown();
        assertEquals("done", awaitFinished(scheduler.forPlugin("host"), "slow").message());
        assertEquals(1, runs.get());
        assertFalse(scheduler.reschedule("host:none", Duration.ofMinutes(30)));
    }

    @Test
    void aKeyNeverRunsTwiceAtOnce() throws Exception {
        TaskScheduler tasks = scheduler.forPlugin("p");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        tasks.schedule("slow", Duration.ofHours(1), progress -> {
            runs.incrementAndGet();
            release.await(5, TimeUnit.SECONDS);
            return "done";
        });

        assertTrue(tasks.runNow("slow"));
        assertFalse(tasks.runNow("slow"), "a second run started while the first was going");
        release.countDown();
        awaitFinished(tasks, "slow");

        assertEquals(1, runs.get());
    }

    @Test
    void aFailureIsRecordedInWordsAndTheTaskStaysScheduled() throws Exception {
        TaskScheduler tasks = scheduler.forPlugin("p");
        tasks.schedule("flaky", Duration.ofHours(1), progress -> {
            throw new PluginException(ErrorKind.THROTTLED, "Too many requests");
        });

        tasks.runNow("flaky");
        TaskStatus status = awaitFinished(tasks, "flaky");

        assertFalse(status.lastSucceeded());
        assertEquals("Throttled: Too many requests", status.message());
        assertTrue(tasks.runNow("flaky"));
    }

    @Test
    void theTimerRunsTheTaskOnItsInterval() throws Exception {
        CountDownLatch ran = new CountDownLatch(2);
        scheduler.forPlugin("p").schedule("tick", Duration.ofMillis(20), progress -> {
            ran.countDown();
            return "ok";
        });

        assertTrue(ran.await(5, TimeUnit.SECONDS));
    }

    @Test
    void pluginsDoNotSeeEachOthersTasks() {
        scheduler.forPlugin("a").schedule("sync", Duration.ofHours(1), progress -> "a");

        assertTrue(scheduler.forPlugin("b").status("sync").isEmpty());
        assertFalse(scheduler.forPlugin("b").runNow("sync"));
    }
}
