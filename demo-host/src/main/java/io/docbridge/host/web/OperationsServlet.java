package io.docbridge.host.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a platform team's load balancer and Prometheus ask: {@code /healthz} (the process answers: liveness),
 * {@code /readyz} (the database answers, the plugins have been started and so has the offline demo's emulator,
 * if it runs here: send it traffic) and {@code /metrics}
 * (Prometheus text format, for a caller with the metrics token; there is no {@code /metrics} without one).
 */
public final class OperationsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient BooleanSupplier databaseReachable;
    /** What this instance starts (its plugins, the offline demo's emulator), each with whether it has started. */
    private final transient Supplier<Map<String, Boolean>> starts;
    private final transient PrometheusMeterRegistry metrics;
    private final String metricsToken;

    public OperationsServlet(BooleanSupplier databaseReachable, Supplier<Map<String, Boolean>> starts,
                             PrometheusMeterRegistry metrics, String metricsToken) {
        this.databaseReachable = databaseReachable;
        this.starts = starts;
        this.metrics = metrics;
        this.metricsToken = metricsToken;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        switch (req.getServletPath()) {
            case "/healthz" -> text(resp, 200, "ok\n");
            case "/readyz" -> {
                boolean database = databaseReachable.getAsBoolean();
                StringBuilder body = new StringBuilder("database " + (database ? "ok" : "unreachable") + "\n");
                boolean ready = database;
                for (Map.Entry<String, Boolean> start : starts.get().entrySet()) {
                    body.append(start.getKey()).append(start.getValue() ? " started\n" : " starting\n");
                    ready &= start.getValue();
                }
                text(resp, ready ? 200 : 503, body.toString());
            }
            case "/metrics" -> {
                if (metricsToken == null || metricsToken.isBlank()) {
                    resp.sendError(404);
                } else if (!authorized(req.getHeader("Authorization"))) {
                    resp.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
                    text(resp, 401, "Send the metrics token as a bearer token.\n");
                } else {
                    resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
                    metrics.scrape(resp.getOutputStream());
                }
            }
            default -> resp.sendError(404);
        }
    }

    private boolean authorized(String header) {
        String expected = "Bearer " + metricsToken;
        // Compared in constant time, like any credential.
        return header != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                header.getBytes(StandardCharsets.UTF_8));
    }

    private static void text(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().write(body);
    }
}
