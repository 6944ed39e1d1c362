package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry policy's rules, with a sleeper that records instead of sleeping. */
class RetryTest {
    final List<Duration> waits = new ArrayList<>();
    final Retry retry = new Retry(4, Duration.ofMillis(100), Duration.ofSeconds(60), waits::add);

    @Test
    void aDroppedConnectionIsRetriedWithGrowingJitteredBackoff() {
        int[] calls = {0};

        String result = retry.call("testing", () -> {
            if (++calls[0] < 4) {
                throw new IOException("connection reset");
            }
            return "done";
        });

        assertEquals("done", result);
        assertEquals(3, waits.size());
        assertTrue(waits.get(0).toMillis() >= 50 && waits.get(0).toMillis() <= 100, waits.toString());
        assertTrue(waits.get(2).toMillis() >= 200 && waits.get(2).toMillis() <= 400, waits.toString());
    }

    @Test
    void throttlingWaitsExactlyAsLongAsRetryAfterSays() {
        int[] calls = {0};

        retry.call("testing", () -> {
            if (++calls[0] == 1) {
                throw new PluginException(ErrorKind.THROTTLED, "slow down", Duration.ofSeconds(41), null);
            }
            return null;
        });

        assertEquals(List.of(Duration.ofSeconds(41)), waits);
    }

    @Test
    void aRetryAfterLongerThanTheLongestWaitFailsAtOnceForTheSchedulerToRetryLater() {
        PluginException e = assertThrows(PluginException.class, () -> retry.call("testing", () -> {
            throw new PluginException(ErrorKind.THROTTLED, "slow down", Duration.ofMinutes(5), null);
        }));

        assertEquals(ErrorKind.THROTTLED, e.kind());
        assertTrue(waits.isEmpty());
    }

    @Test
    void permanentFailuresAreNotRetried() {
        int[] calls = {0};

        assertThrows(PluginException.class, () -> retry.call("testing", () -> {
            calls[0]++;
            throw new PluginException(ErrorKind.ACCESS_DENIED, "no");
        }));

        assertEquals(1, calls[0]);
    }

    @Test
    void afterTheLastAttemptTheFailureIsReported() {
        PluginException e = assertThrows(PluginException.class, () -> retry.call("testing", () -> {
            throw new IOException("still down");
        }));

        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertEquals(3, waits.size());
    }

    @Test
    void aTimeOutIsRepeatedInTheBackgroundButNotWhileAPersonWaits() {
        int[] calls = {0};
        Retry.Attempt<String> slow = () -> {
            if (++calls[0] == 1) {
                throw new java.net.SocketTimeoutException("timeout");
            }
            return "done";
        };

        PluginException e = assertThrows(PluginException.class, () -> retry.whilePersonWaits().call("testing", slow));
        assertEquals(ErrorKind.TIMED_OUT, e.kind());
        assertEquals(1, calls[0]);

        assertEquals("done", retry.call("testing", slow));
        assertEquals(2, calls[0]);
    }

    @Test
    void aCallThatIsNotIdempotentIsNotRepeatedAfterALostAnswerButIsAfterThrottling() {
        int[] calls = {0};
        assertThrows(PluginException.class, () -> retry.call("creating", () -> {
            calls[0]++;
            throw new IOException("connection reset");
        }, null, Retry.Waiting.NONE, false));
        assertEquals(1, calls[0]);

        assertEquals("made", retry.call("creating", () -> {
            if (++calls[0] == 2) {
                throw new PluginException(ErrorKind.THROTTLED, "slow down", Duration.ofSeconds(1), null);
            }
            return "made";
        }, null, Retry.Waiting.NONE, false));
    }
}
