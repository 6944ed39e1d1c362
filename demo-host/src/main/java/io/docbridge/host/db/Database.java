package io.docbridge.host.db;

import io.docbridge.host.HostStartupException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * The host's database: H2 in the data folder unless a JDBC URL points elsewhere, migrated to the current schema
 * at start by Flyway (versioned scripts in {@code db/migration}).
 */
public final class Database implements AutoCloseable {
    private final Jdbi jdbi;
    private final DataSource dataSource;

    private Database(Jdbi jdbi, DataSource dataSource) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Closes the pool; an embedded H2 database is shut down so that its file is free for the next start. */
    @Override
    public synchronized void close() {
        if (dataSource instanceof JdbcConnectionPool pool && !closed) {
            closed = true;
            try (var connection = pool.getConnection(); var statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (java.sql.SQLException e) {
                // already closed: nothing to release
            }
            pool.dispose();
        }
    }

    private boolean closed;

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
        DataSource dataSource = dataSource(jdbcUrl, user, password);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (FlywayException e) {
            throw new HostStartupException("Cannot open the database at " + redact(jdbcUrl) + ": "
                    + rootMessage(e) + ". Check that the data folder is readable and writable, that no other "
                    + "Docbridge host is using it, and that the database file is not damaged.", e);
        }
        Jdbi jdbi = Jdbi.create(dataSource);
        // A failed statement's message is the driver's (which names the statement with ? for its values), never
        // Jdbi's rendering of the bound values: tokens, names and paths would reach logs and pages.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        return new Database(jdbi, dataSource);
    }

    private static DataSource dataSource(String jdbcUrl, String user, String password) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return JdbcConnectionPool.create(jdbcUrl, user, password);
        }
        return new DriverManagerDataSource(jdbcUrl, user, password);
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
