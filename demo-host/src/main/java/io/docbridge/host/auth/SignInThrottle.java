package io.docbridge.host.auth;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * Slows password guessing: after a few wrong passwords for one account, or many from one client address, further
 * attempts are refused outright for a while (the right password too), for longer each time, up to 15 minutes. A
 * refused attempt costs no password hashing, so guessers cannot slow everyone else's pages down either.
 * Kept in the database ({@code sign_in_failures}), so every instance of a cluster counts the same failures.
 * Thread-safe.
 */
public final class SignInThrottle {
    /** Wrong passwords for one account before it is locked. */
    static final int ACCOUNT_FAILURES = 5;
    /** Wrong passwords from one address (any accounts) before it is locked. */
    static final int ADDRESS_FAILURES = 20;
    private static final Duration FIRST_LOCK = Duration.ofSeconds(30);
    private static final Duration LONGEST_LOCK = Duration.ofMinutes(15);
    /** Failures older than this are forgotten. */
    private static final Duration WINDOW = Duration.ofMinutes(15);

    private final Jdbi db;
    private final Clock clock;

    public SignInThrottle(Jdbi db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** How long sign-in stays refused for this account or address; empty if it may be tried now. */
    public Optional<Duration> lockedFor(String username, String address) {
        Instant now = clock.instant();
        Instant until = db.withHandle(h -> h.createQuery("SELECT MAX(locked_until) FROM sign_in_failures "
                        + "WHERE throttle_key IN (:a, :b)").bind("a", accountKey(username)).bind("b", addressKey(address))
                .mapTo(OffsetDateTime.class).findOne()).map(OffsetDateTime::toInstant).orElse(Instant.EPOCH);
        return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    /** Records a wrong password; returns how long sign-in is now refused, if it is. */
    public Optional<Duration> failed(String username, String address) {
        Instant now = clock.instant();
        record(accountKey(username), ACCOUNT_FAILURES, now);
        record(addressKey(address), ADDRESS_FAILURES, now);
        db.useHandle(h -> h.createUpdate("DELETE FROM sign_in_failures WHERE last_at < :old AND locked_until < :now")
                .bind("old", now.minus(WINDOW).atOffset(ZoneOffset.UTC)).bind("now", now.atOffset(ZoneOffset.UTC))
                .execute());
        return lockedFor(username, address);
    }

    /** A successful sign-in clears the account's failures (not the address's: one right guess is no alibi). */
    public void succeeded(String username) {
        db.useHandle(h -> h.createUpdate("DELETE FROM sign_in_failures WHERE throttle_key = :k")
                .bind("k", accountKey(username)).execute());
    }

    /** Counts one failure under the key, its row locked meanwhile, so that instances failing at once add up. */
    private void record(String key, int allowed, Instant now) {
        for (int attempt = 0; ; attempt++) {
            try {
                db.useTransaction(h -> {
                    Optional<Failures> before = h.createQuery("SELECT failures, last_at, locked_until FROM "
                                    + "sign_in_failures WHERE throttle_key = :k FOR UPDATE").bind("k", key)
                            .map((rs, ctx) -> new Failures(rs.getInt(1),
                                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                                    rs.getObject(3, OffsetDateTime.class).toInstant())).findOne();
                    Failures next = next(before.orElse(null), allowed, now);
                    if (before.isPresent()) {
                        h.createUpdate("UPDATE sign_in_failures SET failures = :f, last_at = :l, locked_until = :u "
                                        + "WHERE throttle_key = :k").bind("k", key).bind("f", next.count())
                                .bind("l", next.last().atOffset(ZoneOffset.UTC))
                                .bind("u", next.lockedUntil().atOffset(ZoneOffset.UTC)).execute();
                    } else {
                        h.createUpdate("INSERT INTO sign_in_failures (throttle_key, failures, last_at, locked_until) "
                                        + "VALUES (:k, :f, :l, :u)").bind("k", key).bind("f", next.count())
                                .bind("l", next.last().atOffset(ZoneOffset.UTC))
                                .bind("u", next.lockedUntil().atOffset(ZoneOffset.UTC)).execute();
                    }
                });
                return;
            } catch (UnableToExecuteStatementException raced) {
                if (attempt > 0) {
                    throw raced; // another instance inserted the first failure meanwhile: counted on the retry
                }
            }
        }
    }

    private record Failures(int count, Instant last, Instant lockedUntil) {
    }

    private static Failures next(Failures before, int allowed, Instant now) {
        int count = before == null || before.last().plus(WINDOW).isBefore(now) ? 1 : before.count() + 1;
        Instant lockedUntil = before == null ? Instant.EPOCH : before.lockedUntil();
        if (count >= allowed) {
            long doublings = Math.min(count - allowed, 10);
            Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
            lockedUntil = now.plus(lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock);
        }
        return new Failures(count, now, lockedUntil);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String accountKey(String username) {
        return "account:" + username.trim().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
