package io.docbridge.host.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting that templates call as {@code fmt.date(x)} and {@code fmt.size(n)}. */
public final class Formats {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    public String date(Instant instant) {
        return instant == null || instant.equals(Instant.EPOCH) ? "never" : DATE_TIME.format(instant);
    }

    public String size(long bytes) {
        return Sizes.human(bytes);
    }
}
