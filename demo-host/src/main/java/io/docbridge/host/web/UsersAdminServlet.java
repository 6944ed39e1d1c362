package io.docbridge.host.web;

import io.docbridge.host.auth.Role;
import io.docbridge.host.auth.Users;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/** Admin → Users: the accounts and their roles; a form to add one. */
public final class UsersAdminServlet extends PageServlet {
    private static final long serialVersionUID = 1L;

    private final transient Users users;

    public UsersAdminServlet(Pages pages, Users users) {
        super(pages);
        this.users = users;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/admin/users", (req, resp, m) -> render(req, resp, 200, Map.of("role", "USER"), Map.of()))
                || r.post("/admin/users", this::create);
    }

    private void render(HttpServletRequest req, HttpServletResponse resp, int status, Map<String, String> form,
                        Map<String, String> errors) throws Exception {
        pages.render(req, resp, status, "users.ftlh", Map.of("users", users.all(), "roles", Role.values(),
                "form", form, "errors", errors));
    }

    private void create(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        Map<String, String> form = new HashMap<>();
        for (String name : new String[]{"username", "displayName", "role"}) {
            form.put(name, Optional.ofNullable(req.getParameter(name)).orElse(""));
        }
        try {
            Role role = form.get("role").equals("ORG_ADMIN") ? Role.ORG_ADMIN : Role.USER;
            var user = users.create(form.get("username"), form.get("displayName"), req.getParameter("password"), role);
            Web.flash(req, "success", "User " + user.username() + " was added.");
            Web.redirect(req, resp, "/admin/users");
        } catch (InputException e) {
            render(req, resp, 400, form, Map.of(e.field(), e.getMessage()));
        }
    }
}
