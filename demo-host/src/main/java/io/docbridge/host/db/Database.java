package io.docbridge.host.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.docbridge.host.HostStartupException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

import java.nio.file.Path;
import java.util.Map;

/**
 * The host's database: H2 in the data folder unless a JDBC URL points elsewhere, migrated to the current schema
 * at start by Flyway (versioned scripts in {@code db/migration}), reached through one HikariCP pool.
 */
public final class Database implements AutoCloseable {
    private final Jdbi jdbi;
    private final HikariDataSource pool;
    private final boolean embeddedH2;

    private Database(Jdbi jdbi, HikariDataSource pool, boolean embeddedH2) {
        this.jdbi = jdbi;
        this.pool = pool;
        this.embeddedH2 = embeddedH2;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** The pool, for its metrics and for readiness checks. */
    public HikariDataSource pool() {
        return pool;
    }

    /** Whether the database answers within {@code seconds}. */
    public boolean reachable(int seconds) {
        try (var connection = pool.getConnection()) {
            return connection.isValid(seconds);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    /** Closes the pool; an embedded H2 database is shut down so that its file is free for the next start. */
    @Override
    public synchronized void close() {
        if (pool.isClosed()) {
            return;
        }
        if (embeddedH2) {
            try (var connection = pool.getConnection(); var statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (java.sql.SQLException e) {
                // already closed: nothing to release
            }
        }
        pool.close();
    }

    /**
     * The default: an H2 file database in the data folder, which one host process opens at a time. H2 writes
     * committed changes to its file from a background thread, up to half a second later by default, and has no redo
     * log: a process killed in that window loses transactions it reported committed. {@code WRITE_DELAY=0} makes a
     * commit write its changes before it returns, so what the host acknowledged survives kill -9 (the operating
     * system holds the written pages; surviving a power cut takes a database that syncs, such as PostgreSQL).
     * {@code TRACE_LEVEL_FILE=0}: no trace file beside it; failures reach the host's log as exceptions.
     */
    public static String defaultUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("docbridge")
                + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0;TRACE_LEVEL_FILE=0";
    }

    /**
     * Opens and migrates the database.
     *
     * @throws HostStartupException saying which database could not be opened and what to check
     */
    public static Database open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, io.docbridge.host.HostConfig.DEFAULT_POOL_SIZE, null);
    }

    /**
     * As {@link #open(String, String, String)}, with at most {@code poolSize} connections, whose use the pool
     * reports to {@code meters} (hikaricp.connections.*) when given.
     */
    public static Database open(String jdbcUrl, String user, String password, int poolSize,
                                io.micrometer.core.instrument.MeterRegistry meters) {
        HikariDataSource pool;
        try {
            pool = pool(jdbcUrl, user, password, poolSize, meters);
            // Flyway takes a lock in the database first, so instances starting at once migrate one after another.
            Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                    .placeholders(Map.of("binary", jdbcUrl.startsWith("jdbc:postgresql:") ? "bytea" : "blob"))
                    .load().migrate();
        } catch (FlywayException | HikariPool.PoolInitializationException e) {
            throw new HostStartupException("Cannot open the database at " + redact(jdbcUrl) + ": "
                    + rootMessage(e) + ". Check that the data folder is readable and writable, that no other "
                    + "Docbridge host is using it, and that the database file is not damaged (or, for a database "
                    + "server, that it runs and accepts this user).", e);
        }
        Jdbi jdbi = Jdbi.create(pool);
        // A failed statement's message is the driver's (which names the statement with ? for its values), never
        // Jdbi's rendering of the bound values: tokens, names and paths would reach logs and pages.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        return new Database(jdbi, pool, jdbcUrl.startsWith("jdbc:h2:"));
    }

    /**
     * At most {@code poolSize} connections; one is opened at once, so a database that cannot be reached stops the
     * start with its reason instead of the first request.
     */
    private static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize,
                                         io.micrometer.core.instrument.MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("docbridge");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        if (meters != null) {
            config.setMetricRegistry(meters);
        }
        return new HikariDataSource(config);
    }

    /** A JDBC URL may carry a password parameter; never show it. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
