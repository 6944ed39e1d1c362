package io.docbridge.host.db;

import org.jdbi.v3.core.Jdbi;

/**
 * A step that one instance of a cluster takes at a time, such as the offline demo's decision to start an emulator:
 * it runs holding its row of {@code host_locks} (SELECT … FOR UPDATE), so an instance that comes second waits and
 * then sees what the first one did. A dead instance's lock goes with its connection.
 */
public final class ClusterLock {
    /** The offline demo's emulator: whether to start one, or use the one another instance started. */
    public static final String OFFLINE_DEMO_EMULATOR = "offline-demo-emulator";

    private ClusterLock() {
    }

    /** Runs the step holding the lock {@code name} (a row of {@code host_locks}). */
    public static void holding(Jdbi db, String name, Runnable step) {
        db.useTransaction(h -> {
            h.createQuery("SELECT name FROM host_locks WHERE name = :name FOR UPDATE").bind("name", name)
                    .mapTo(String.class).one();
            step.run();
        });
    }
}
