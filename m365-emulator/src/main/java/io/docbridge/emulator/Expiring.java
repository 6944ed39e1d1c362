package io.docbridge.emulator;

import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Maps whose entries are forgotten a while after they were written (download links, sign-in flows, authorization
 * codes, copy jobs, delta pages), so a long-running emulator does not grow without bound. Time is the emulator's
 * clock, so a test that moves the clock forward expires them too.
 */
public final class Expiring {
    private Expiring() {
    }

    public static <K, V> ConcurrentMap<K, V> map(Clock clock, Duration lifetime) {
        return Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(lifetime)
                .executor(Runnable::run) // clean up on the caller's thread: no pool to stop, and tests see it at once
                .<K, V>build()
                .asMap();
    }
}
