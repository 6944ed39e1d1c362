package io.docbridge.host.web;

import io.docbridge.host.auth.User;
import io.docbridge.host.auth.SignInThrottle;
import io.docbridge.host.auth.Users;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/** Form sign-in and sign-out. The session id changes at sign-in, so a planted session id is worthless. */
public final class LoginServlet extends PageServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(LoginServlet.class);

    private final transient Users users;
    private final transient SignInThrottle throttle;

    public LoginServlet(Pages pages, Users users, SignInThrottle throttle) {
        super(pages);
        this.users = users;
        this.throttle = throttle;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/login", this::form) || r.post("/login", this::login) || r.post("/logout", this::logout);
    }

    private void form(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        pages.render(req, resp, "login.ftlh", Map.of("next", Web.safeLocalPath(req.getParameter("next"), "/documents"),
                "username", "", "error", ""));
    }

    private void login(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        String username = Optional.ofNullable(req.getParameter("username")).orElse("");
        String next = Web.safeLocalPath(req.getParameter("next"), "/documents");
        String address = req.getRemoteAddr();
        String shown = username.replaceAll("[^\\w.@-]", "?");
        Optional<Duration> locked = throttle.lockedFor(username, address);
        if (locked.isPresent()) {
            tooMany(req, resp, next, username, locked.get());
            return;
        }
        Optional<User> user = users.authenticate(username, req.getParameter("password"));
        if (user.isEmpty()) {
            Optional<Duration> nowLocked = throttle.failed(username, address);
            if (nowLocked.isPresent()) {
                log.warn("Sign-in for {} from {} refused for {} s after repeated wrong passwords", shown, address,
                        nowLocked.get().toSeconds());
                tooMany(req, resp, next, username, nowLocked.get());
                return;
            }
            log.info("Failed sign-in for {} from {}", shown, address);
            pages.render(req, resp, 401, "login.ftlh", Map.of("next", next, "username", username,
                    "error", "The username or password is not right."));
            return;
        }
        throttle.succeeded(username);
        req.changeSessionId();
        HttpSession session = req.getSession();
        // A token seen before sign-in (by a page, a log, a shared computer) is no good after it.
        Csrf.rotate(session);
        session.setAttribute(SecurityFilter.SESSION_USER, user.get().id());
        log.info("{} signed in", user.get().username());
        Web.redirect(req, resp, next);
    }

    private void tooMany(HttpServletRequest req, HttpServletResponse resp, String next, String username,
                         Duration wait) throws java.io.IOException {
        long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
        resp.setHeader("Retry-After", Long.toString(seconds));
        pages.render(req, resp, 429, "login.ftlh", Map.of("next", next, "username", username,
                "error", "Too many wrong passwords. Sign-in is paused for this account or this computer: try again in "
                        + (seconds < 120 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes")
                        + ", or ask an administrator to set a new password."));
    }

    private void logout(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        HttpSession session = req.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        Web.redirect(req, resp, "/login");
    }
}
