package io.docbridge.host.web;

import io.docbridge.host.auth.User;
import io.docbridge.host.auth.Users;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/** Form sign-in and sign-out. The session id changes at sign-in, so a planted session id is worthless. */
public final class LoginServlet extends PageServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(LoginServlet.class);

    private final transient Users users;

    public LoginServlet(Pages pages, Users users) {
        super(pages);
        this.users = users;
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
        Optional<User> user = users.authenticate(username, req.getParameter("password"));
        if (user.isEmpty()) {
            log.info("Failed sign-in for {}", username.replaceAll("[^\\w.@-]", "?"));
            pages.render(req, resp, 401, "login.ftlh", Map.of("next", next, "username", username,
                    "error", "The username or password is not right."));
            return;
        }
        req.changeSessionId();
        HttpSession session = req.getSession();
        session.setAttribute(SecurityFilter.SESSION_USER, user.get().id());
        log.info("{} signed in", user.get().username());
        Web.redirect(req, resp, next);
    }

    private void logout(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        HttpSession session = req.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        Web.redirect(req, resp, "/login");
    }
}
