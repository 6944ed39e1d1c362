package io.docbridge.api;

import org.pf4j.ExtensionPoint;

import java.util.List;

/**
 * The servlets a plugin contributes (OAuth start and callback, say). The host mounts them under the plugin's own
 * path when the plugin starts and removes them when it stops. Requests that change state must check the host's
 * CSRF token, which the host verifies for every POST to a route that is not {@link ServletRoute.Access#PUBLIC}.
 */
public interface PluginServlets extends ExtensionPoint {

    List<ServletRoute> routes(HostContext host);
}
