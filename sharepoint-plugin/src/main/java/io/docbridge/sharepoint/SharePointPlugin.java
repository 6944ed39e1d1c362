package io.docbridge.sharepoint;

import org.pf4j.Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SharePoint Online plugin's lifecycle. Its features are PF4J extensions in this package. */
public final class SharePointPlugin extends Plugin {
    private static final Logger log = LoggerFactory.getLogger(SharePointPlugin.class);

    @Override
    public void start() {
        log.info("SharePoint Online plugin started");
    }

    @Override
    public void stop() {
        log.info("SharePoint Online plugin stopped");
    }
}
