package io.docbridge.host.web;

import io.docbridge.host.tasks.TaskStatus;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting that templates call as {@code fmt.date(x)}, {@code fmt.lastSync(status)} and {@code fmt.size(n)}. */
public final class Formats {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    public String date(Instant instant) {
        return instant == null || instant.equals(Instant.EPOCH) ? "never" : DATE_TIME.format(instant);
    }

    /** "last sync 2026-11-22 21:16 UTC", or "not synced yet" (a template cannot pass a missing date to a method). */
    public String lastSync(TaskStatus sync) {
        return sync.lastFinished() == null ? "not synced yet" : "last sync " + date(sync.lastFinished());
    }

    public String size(long bytes) {
        return Sizes.human(bytes);
    }
}
