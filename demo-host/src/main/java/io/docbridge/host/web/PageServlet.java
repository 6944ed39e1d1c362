package io.docbridge.host.web;

import io.docbridge.api.PluginException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Base of the host's page servlets: routes by method and path pattern, and turns what escapes a handler into a
 * page a person can read — a missing thing into 404, a storage failure into its explanation, anything else into a
 * 500 with a reference that the log shows too.
 */
public abstract class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(PageServlet.class);

    protected final transient Pages pages;

    protected PageServlet(Pages pages) {
        this.pages = pages;
    }

    /** A request handler; {@code m} holds the path pattern's groups. */
    protected interface Handler {
        void handle(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception;
    }

    /** Answers the request, or returns false if no route matches. */
    protected abstract boolean route(Router router) throws Exception;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        try {
            if (!route(new Router(req, resp, path))) {
                notFound(req, resp);
            }
        } catch (NotFoundException e) {
            notFound(req, resp);
        } catch (PluginException e) {
            if (resp.isCommitted()) {
                // Part of the answer is sent (a download): no error page can follow, the connection is aborted.
                throw new IOException(e.getMessage(), e);
            }
            log.warn("{} {} failed: {} ({})", req.getMethod(), path, e.getMessage(), e.kind());
            pages.render(req, resp, Web.status(e.kind()), "error.ftlh", Map.of("heading", e.kind().title(),
                    "message", Web.explain(e)));
        } catch (IOException | RuntimeException e) {
            if (resp.isCommitted()) {
                if (e instanceof IOException io) {
                    throw io;
                }
                throw new ServletException(e);
            }
            String reference = Long.toString(System.nanoTime() & 0xffffff, 36);
            log.error("{} {} failed (reference {})", req.getMethod(), path, reference, e);
            pages.render(req, resp, 500, "error.ftlh", Map.of("heading", "Something went wrong",
                    "message", "The request could not be completed. If it happens again, give the administrator "
                            + "the reference " + reference + "."));
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }

    private void notFound(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        pages.render(req, resp, 404, "error.ftlh", Map.of("heading", "Not found",
                "message", "There is nothing at this address. It may have been removed."));
    }

    /** Thrown by a handler for an id that does not exist. */
    protected static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    protected static <T> T found(java.util.Optional<T> value) {
        return value.orElseThrow(NotFoundException::new);
    }

    protected static long id(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new NotFoundException();
        }
    }

    /** Matches the request against routes in order; the first match handles it. */
    protected static final class Router {
        private final HttpServletRequest req;
        private final HttpServletResponse resp;
        private final String path;

        Router(HttpServletRequest req, HttpServletResponse resp, String path) {
            this.req = req;
            this.resp = resp;
            this.path = path;
        }

        public boolean get(String pattern, Handler handler) throws Exception {
            return on("GET", pattern, handler);
        }

        public boolean post(String pattern, Handler handler) throws Exception {
            return on("POST", pattern, handler);
        }

        private boolean on(String method, String pattern, Handler handler) throws Exception {
            if (!req.getMethod().equals(method) && !(method.equals("GET") && req.getMethod().equals("HEAD"))) {
                return false;
            }
            Matcher m = Pattern.compile(pattern).matcher(path);
            if (!m.matches()) {
                return false;
            }
            handler.handle(req, resp, m);
            return true;
        }
    }
}
