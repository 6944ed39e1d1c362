package io.docbridge.host.plugins;

/**
 * A plugin as Admin → Plugins shows it.
 *
 * @param id          the plugin id, or the file name for an archive that could not be loaded at all
 * @param version     its version; empty if unknown
 * @param description what the plugin says it does; empty if unknown
 * @param state       PF4J's state (STARTED, STOPPED, FAILED…), or LOAD_FAILED
 * @param failure     why it failed, for a person; empty unless it failed
 * @param file        the archive or folder it came from
 */
public record PluginInfo(String id, String version, String description, String state, String failure, String file) {

    public boolean started() {
        return state.equals("STARTED");
    }

    public boolean failed() {
        return !failure.isEmpty();
    }

    /** Whether it is a loaded plugin that can be started or stopped. */
    public boolean loaded() {
        return !state.equals("LOAD_FAILED");
    }
}
