package io.docbridge.host.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the requests that need the plugins until the host has started them. The host listens before its plugins
 * start, so that the sign-in page and the health checks answer while they load (on two cores, a third of a second
 * of a fresh start); every other page waits for them, up to a limit, and then says the host is still starting
 * (503 with Retry-After). {@code /readyz} says 503 until then, so a load balancer sends no traffic early.
 */
public final class StartGate extends HttpFilter {
    private static final long serialVersionUID = 1L;
    /**
     * What needs no plugin: the sign-in page (signing in waits: on a fresh database the first administrator is made
     * beside the plugins' start), signing out, the style sheets and scripts, the operators' checks.
     */
    private static final Set<String> OPEN_PATHS = Set.of("/logout", "/healthz", "/readyz", "/metrics");
    private static final String SIGN_IN = "/login";
    private static final String OPEN_PREFIX = "/static/";

    private final transient CountDownLatch started = new CountDownLatch(1);
    private final transient Pages pages;
    private final Duration patience;

    /** A closed gate; requests that need the plugins wait up to {@code patience} for {@link #open()}. */
    public StartGate(Pages pages, Duration patience) {
        this.pages = pages;
        this.patience = patience;
    }

    /** The plugins have started (or failed to, and said why): every request goes through from now on. */
    public void open() {
        started.countDown();
    }

    public boolean isOpen() {
        return started.getCount() == 0;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if (isOpen() || canAnswerNow(req) || awaitStart()) {
            chain.doFilter(req, resp);
            return;
        }
        resp.setHeader("Retry-After", "5");
        pages.render(req, resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "error.ftlh", Map.of(
                "heading", "Docbridge is still starting",
                "message", "Its plugins are still being started. Nothing was changed. Try again in a few seconds."));
    }

    private static boolean canAnswerNow(HttpServletRequest req) {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        return OPEN_PATHS.contains(path) || path.startsWith(OPEN_PREFIX)
                || (path.equals(SIGN_IN) && ("GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod())));
    }

    private boolean awaitStart() {
        try {
            return started.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
