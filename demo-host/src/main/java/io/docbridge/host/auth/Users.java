package io.docbridge.host.auth;

import io.docbridge.host.web.InputException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The platform's user accounts. */
public final class Users {
    private static final String USERNAME = "[a-z0-9._-]{2,64}";

    private final Jdbi db;
    private final Clock clock;

    public Users(Jdbi db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Creates an account.
     *
     * @throws InputException naming the field that is not acceptable, or a taken username
     */
    public User create(String username, String displayName, String password, Role role) {
        String name = username == null ? "" : username.trim().toLowerCase(java.util.Locale.ROOT);
        if (!name.matches(USERNAME)) {
            throw new InputException("username", "A username has 2 to 64 characters: a-z, 0-9, '.', '_' or '-'.");
        }
        String display = displayName == null || displayName.isBlank() ? name : displayName.trim();
        if (display.length() > 200) {
            throw new InputException("displayName", "A display name has at most 200 characters.");
        }
        if (password == null || password.length() < 10 || password.length() > 200) {
            throw new InputException("password", "A password has at least 10 characters.");
        }
        try {
            long id = db.withHandle(h -> h.createUpdate("""
                            INSERT INTO users (username, display_name, password_hash, role, created_at)
                            VALUES (:username, :display, :hash, :role, :now)""")
                    .bind("username", name).bind("display", display).bind("hash", PasswordHasher.hash(password))
                    .bind("role", role.name()).bind("now", clock.instant())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            return find(id).orElseThrow();
        } catch (UnableToExecuteStatementException e) {
            if (find(name).isPresent()) {
                throw new InputException("username", "The username " + name + " is taken.");
            }
            throw e;
        }
    }

    /** The user whose password matches, if any. Takes the same time for unknown names, to not reveal them. */
    public Optional<User> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        String name = username.trim().toLowerCase(java.util.Locale.ROOT);
        Optional<String> hash = db.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE username = :u")
                .bind("u", name).mapTo(String.class).findOne());
        boolean ok = PasswordHasher.matches(password, hash.orElseGet(Users::dummyHash));
        return ok && hash.isPresent() ? find(name) : Optional.empty();
    }

    /**
     * What an unknown user's password is checked against, so that a wrong name costs as long as a wrong password.
     * Deriving it takes half a second on two cores, which start-up does not wait for: {@link #prepare} makes it once
     * the host listens.
     */
    private static final java.util.concurrent.CompletableFuture<String> DUMMY_HASH =
            new java.util.concurrent.CompletableFuture<>();

    /** Makes the unknown user's hash on a thread of its own (the host calls it once it listens). */
    public static void prepare() {
        Thread maker = new Thread(Users::dummyHash, "password-hash-for-unknown-users");
        maker.setDaemon(true);
        maker.start();
    }

    private static String dummyHash() {
        synchronized (DUMMY_HASH) {
            if (!DUMMY_HASH.isDone()) {
                DUMMY_HASH.complete(PasswordHasher.hash("no such user " + new SecureRandom().nextLong()));
            }
        }
        return DUMMY_HASH.join();
    }

    public Optional<User> find(long id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM users WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<User> find(String username) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM users WHERE username = :u").bind("u", username)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    public List<User> all() {
        return db.withHandle(h -> h.createQuery("SELECT * FROM users ORDER BY username")
                .map((rs, ctx) -> map(rs)).list());
    }

    public long count() {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    private static User map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.valueOf(rs.getString("role")), rs.getObject("created_at", java.time.OffsetDateTime.class)
                .toInstant());
    }
}
