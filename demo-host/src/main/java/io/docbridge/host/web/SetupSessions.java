package io.docbridge.host.web;

import io.docbridge.api.ConfigurableType;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import io.docbridge.api.Setup;
import io.docbridge.host.plugins.PluginSystem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The setups in progress of each browser session (see {@link Setup}): which type, for whom, which host form the
 * plugin's steps hand back to and what they handed back. Kept in the session, which every instance of a cluster
 * shares through the database; the 20 latest per session, so a person may have a few tabs open.
 */
final class SetupSessions {
    private static final String ATTRIBUTE = "docbridge.setups";
    private static final int KEPT = 20;
    private static final SecureRandom random = new SecureRandom();

    private SetupSessions() {
    }

    /**
     * One setup as kept.
     *
     * @param form     the host page that continues it (the form, or where a sign-in again lands)
     * @param cancel   the page it was started from
     * @param values   what the plugin's steps handed back so far
     */
    record Kept(String pluginId, String typeId, boolean organisation, String form, String cancel,
                Map<String, String> values) implements Serializable {
        Setup setup(String id) {
            return new Setup(id, typeId, organisation);
        }
    }

    /** Starts a setup in the person's session; returns its id. */
    static String start(HttpServletRequest req, Kept kept) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        put(req.getSession(), id, kept);
        return id;
    }

    /**
     * Starts a setup for signing an instance in again and sends the browser to its plugin's sign-in, which hands
     * back to {@code landing}; a 404 page if the type has no sign-in.
     *
     * @param reconnectPath where the plugin signs the instance in again, for a setup id
     */
    static void reconnect(HttpServletRequest req, HttpServletResponse resp, ConfigurableType type,
                          Function<String, Optional<String>> reconnectPath, PluginSystem plugins, boolean organisation,
                          String landing, String cancel) throws IOException {
        String pluginId = plugins.pluginOf(type).orElseThrow(SetupSessions::noSignIn);
        String setup = start(req, new Kept(pluginId, type.id(), organisation, landing, cancel, Map.of()));
        String path = reconnectPath.apply(setup).orElseThrow(SetupSessions::noSignIn);
        Web.redirect(req, resp, path);
    }

    private static PluginException noSignIn() {
        return new PluginException(ErrorKind.NOT_FOUND, "It has no sign-in to do again.");
    }

    /** The setup of this id in the request's session. */
    static Optional<Kept> find(HttpServletRequest req, String id) {
        HttpSession session = req.getSession(false);
        if (session == null || id == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(all(session).get(id));
    }

    /** Keeps a setup (again); the oldest go when there are too many. */
    static void put(HttpSession session, String id, Kept kept) {
        // A new map each time: the session store saves an attribute that was set, not one changed in place.
        LinkedHashMap<String, Kept> setups = new LinkedHashMap<>(all(session));
        setups.remove(id);
        setups.put(id, kept);
        while (setups.size() > KEPT) {
            setups.remove(setups.keySet().iterator().next());
        }
        session.setAttribute(ATTRIBUTE, setups);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Kept> all(HttpSession session) {
        Object kept = session.getAttribute(ATTRIBUTE);
        return kept instanceof Map<?, ?> map ? (Map<String, Kept>) map : Map.of();
    }
}
