package io.docbridge.host.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after a few wrong passwords for one account, or many from one client address, further
 * attempts are refused outright for a while (the right password too), for longer each time, up to 15 minutes. A
 * refused attempt costs no password hashing, so guessers cannot slow everyone else's pages down either.
 * Thread-safe. Kept in this process's memory: one host's view (a cluster would keep it in the database).
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
    private static final int MAX_ENTRIES = 100_000;

    private record Failures(int count, Instant last, Instant lockedUntil) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long sign-in stays refused for this account or address; empty if it may be tried now. */
    public Optional<Duration> lockedFor(String username, String address) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(accountKey(username), now), lockedUntil(addressKey(address), now));
        return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    /** Records a wrong password; returns how long sign-in is now refused, if it is. */
    public Optional<Duration> failed(String username, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_ENTRIES) {
            failures.values().removeIf(f -> f.last().plus(WINDOW).isBefore(now) && !f.lockedUntil().isAfter(now));
        }
        record(accountKey(username), ACCOUNT_FAILURES, now);
        record(addressKey(address), ADDRESS_FAILURES, now);
        return lockedFor(username, address);
    }

    /** A successful sign-in clears the account's failures (not the address's: one right guess is no alibi). */
    public void succeeded(String username) {
        failures.remove(accountKey(username));
    }

    private void record(String key, int allowed, Instant now) {
        failures.compute(key, (k, f) -> {
            int count = f == null || f.last().plus(WINDOW).isBefore(now) ? 1 : f.count() + 1;
            Instant lockedUntil = f == null ? Instant.EPOCH : f.lockedUntil();
            if (count >= allowed) {
                long doublings = Math.min(count - allowed, 10);
                Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
                lockedUntil = now.plus(lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock);
            }
            return new Failures(count, now, lockedUntil);
        });
    }

    private Instant lockedUntil(String key, Instant now) {
        Failures f = failures.get(key);
        return f == null ? Instant.EPOCH : f.lockedUntil();
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
