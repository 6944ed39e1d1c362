package io.docbridge.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The system clock plus an offset that tests move forward, to expire tokens and sessions without waiting. */
public final class EmulatorClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    public void advance(Duration by) {
        offset.updateAndGet(d -> d.plus(by));
        changes.incrementAndGet();
    }

    /** How far it has been moved forward: saved with the state, so a restart does not move time back. */
    public Duration offset() {
        return offset.get();
    }

    void restore(Duration saved) {
        offset.set(saved == null ? Duration.ZERO : saved);
    }

    /** How many times it was moved (the state is saved when this changes). */
    long changes() {
        return changes.get();
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the emulator's clock is UTC");
    }
}
