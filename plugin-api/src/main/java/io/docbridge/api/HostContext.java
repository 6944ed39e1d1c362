package io.docbridge.api;

import java.net.URI;
import java.time.Clock;

/**
 * The host's services, as one plugin sees them. The host passes it to every factory and web contribution; a
 * plugin never reaches the host any other way (no statics). Stores are scoped to the plugin: two plugins may use
 * the same keys without meeting. Implementations are safe for concurrent use.
 */
public interface HostContext {

    /** Tokens, client secrets and token caches, encrypted at rest. */
    SecretStore secrets();

    /** Plain settings that are not secret (a chosen site, a folder layout). */
    SettingsStore settings();

    /**
     * The address people reach the host at, ending in {@code /}, for redirect URIs: the plugin's servlets are
     * under {@code publicBaseUrl().resolve("plugins/" + pluginId + "/")}.
     */
    URI publicBaseUrl();

    /** The clock to read the time from, so that tests can move it. */
    Clock clock();

    /** The host's page frame for the plugin's own pages, from its templates. */
    Pages pages();

    /** The setups in progress that the plugin's steps continue and hand back to the host's forms. */
    Setups setups();

    /**
     * The values of an {@link Integration} the plugin contributes, as the host has them now (from its environment,
     * from an administrator, or from the stand-in of its offline demo); empty when it is not configured. Secret
     * fields included: never log or show them.
     */
    java.util.Map<String, String> integration(String id);

    /** Sign-ins and connections, run by the host with the plugin's {@link SignInProvider}. */
    SignIns signIns();

    /** Where the plugin counts what operators watch; a host without metrics counts nothing. */
    default Metrics metrics() {
        return Metrics.NONE;
    }
}
