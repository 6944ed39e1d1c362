package io.docbridge.host.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A fresh PostgreSQL database for one test, on the server named by {@code DOCBRIDGE_TEST_POSTGRES}
 * ({@code host:port:user:password}, a role allowed to create databases). CI starts one (.ci/run); on a developer
 * machine without it the tests are skipped.
 */
public final class Postgres implements AutoCloseable {
    private final String server;
    private final String user;
    private final String password;
    private final String database;

    private Postgres(String server, String user, String password) throws SQLException {
        this.server = server;
        this.user = user;
        this.password = password;
        this.database = "docbridge_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = admin(); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    /** A new, empty database, or the test is skipped (outside CI) when no server is configured. */
    public static Postgres create() throws SQLException {
        String spec = System.getenv("DOCBRIDGE_TEST_POSTGRES");
        if (System.getenv("CI") == null) {
            assumeTrue(spec != null, "no PostgreSQL server: set DOCBRIDGE_TEST_POSTGRES=host:port:user:password");
        }
        assertNotNull(spec, "CI must start PostgreSQL and set DOCBRIDGE_TEST_POSTGRES (see .ci/run)");
        String[] parts = spec.split(":", 4);
        return new Postgres(parts[0] + ":" + parts[1], parts[2], parts[3]);
    }

    public String url() {
        return "jdbc:postgresql://" + server + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + server + "/postgres", user, password);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin(); var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
