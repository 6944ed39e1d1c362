package io.docbridge.host.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Set;

/**
 * Counts and times every request as {@code http.server.requests}, tagged by method, status and area (the path's
 * first segment, among the host's known ones), so a metric never carries an id or a file name.
 */
public final class RequestMetrics implements Filter {
    private static final Set<String> AREAS = Set.of("documents", "revisions", "projects", "files", "settings", "admin",
            "plugins", "static", "login", "logout", "healthz", "readyz", "metrics");

    private final MeterRegistry meters;

    public RequestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            HttpServletRequest req = (HttpServletRequest) request;
            Timer.builder("http.server.requests").description("Requests the host answered")
                    .tag("method", req.getMethod()).tag("status", Integer.toString(((HttpServletResponse) response)
                            .getStatus())).tag("area", area(req.getRequestURI()))
                    .register(meters).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    static String area(String path) {
        String first = path.length() <= 1 ? "" : path.substring(1).split("/", 2)[0];
        return first.isEmpty() ? "root" : AREAS.contains(first) ? first : "other";
    }
}
