package io.docbridge.onedrive;

import org.pf4j.Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The OneDrive plugin's lifecycle. Its features are PF4J extensions in this package. */
public final class OneDrivePlugin extends Plugin {
    private static final Logger log = LoggerFactory.getLogger(OneDrivePlugin.class);

    @Override
    public void start() {
        log.info("OneDrive plugin started");
    }

    @Override
    public void stop() {
        log.info("OneDrive plugin stopped");
    }
}
