package io.docbridge.api;

/**
 * A setup in progress: a person filling in the host's form for a type (adding storage, adding a drive, editing one,
 * signing one in again), which the plugin's own steps (a sign-in, a site picker) continue. The host starts it and
 * gives its id to the plugin's settings template as {@code setup}, or to {@link ConfigurableType#reconnectPath};
 * the plugin carries the id through its steps and ends them with {@link Setups#handBack}.
 *
 * @param id           opaque, for the plugin's links and forms
 * @param typeId       the type being set up
 * @param organisation true when it is the organisation's (storage, or a drive for everyone): only an administrator
 *                     is in such a setup, and what it signs in with must be the organisation's, not a person's own
 */
public record Setup(String id, String typeId, boolean organisation) {
}
