package io.docbridge.m365;

import org.pf4j.Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Microsoft 365 library as a PF4J plugin of its own: graph-drive with the Graph SDK and msal4j, which the
 * SharePoint and OneDrive plugins depend on ({@code plugin.dependencies}), so they are unpacked and loaded once. It
 * contributes no extension. PF4J stops the plugins that depend on it before it.
 */
public final class M365LibraryPlugin extends Plugin {
    private static final Logger log = LoggerFactory.getLogger(M365LibraryPlugin.class);

    @Override
    public void stop() {
        io.docbridge.graph.GraphTransport.closeAll(); // the HTTP connections and threads every Microsoft plugin shared
        log.info("Microsoft 365 library stopped");
    }
}
