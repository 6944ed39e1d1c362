package io.docbridge.api;

import java.time.Duration;

/**
 * Where a plugin counts what an operator watches (requests by status, bytes sent, waits for throttling); the host
 * exports them (to Prometheus, say) tagged with the plugin's id. Names are lower case and dotted
 * ({@code graph.requests}); tags come in name/value pairs and take few values (a status code, a method), never an
 * id or a file name. Safe for concurrent use.
 */
public interface Metrics {
    /** Counts nothing: for a host that exports no metrics, and for tests. */
    Metrics NONE = new Metrics() {
        @Override
        public void count(String name, long amount, String... tags) {
        }

        @Override
        public void time(String name, Duration took, String... tags) {
        }
    };

    /** Adds {@code amount} to a counter. */
    void count(String name, long amount, String... tags);

    /** Records how long something took. */
    void time(String name, Duration took, String... tags);
}
