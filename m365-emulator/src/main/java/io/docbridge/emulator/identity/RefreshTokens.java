package io.docbridge.emulator.identity;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The refresh tokens handed out, kept across restarts so a client's token cache stays good. Thread-safe. */
public final class RefreshTokens {

    /** What a refresh token grants; rotated on use (the old one stays valid, as Microsoft's do). */
    public record Grant(String clientId, String userId, Set<String> scopes, Instant issued, Instant lastUsed) {
    }

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    public Optional<Grant> get(String token) {
        return Optional.ofNullable(grants.get(token));
    }

    public void put(String token, Grant grant) {
        grants.put(token, grant);
        changes.incrementAndGet();
    }

    public Map<String, Grant> snapshot() {
        return Map.copyOf(grants);
    }

    public void restore(Map<String, Grant> saved) {
        grants.putAll(saved);
    }

    public long changes() {
        return changes.get();
    }
}
