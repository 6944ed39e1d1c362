package io.docbridge.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Setups in progress, as the host keeps them for each browser session (see {@link Setup}). Through them a plugin's
 * steps go back to the host's form without knowing where it is.
 */
public interface Setups {

    /** The setup of this id, if it is one of the plugin's types and this browser session is in it. */
    Optional<Setup> find(HttpServletRequest req, String id);

    /**
     * Ends the plugin's steps: sends the browser back to the host's form, which continues with these values (the
     * type's declared, non-secret fields; anything else is ignored). With no values, back to where the setup was
     * started (a sign-in again has nothing to hand back).
     */
    void handBack(HttpServletRequest req, HttpServletResponse resp, Setup setup, Map<String, String> values)
            throws IOException;

    /**
     * Where a person who gives up goes (Cancel, Back): the page the setup was started from, or the host's start
     * page when the setup is unknown (expired, or another browser's).
     */
    String cancelUrl(HttpServletRequest req, String setupId);
}
