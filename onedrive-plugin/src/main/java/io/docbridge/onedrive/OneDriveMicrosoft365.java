package io.docbridge.onedrive;

import io.docbridge.graph.Microsoft365Integration;
import org.pf4j.Extension;

/** The Microsoft 365 app registration, as this plugin contributes it (the host keeps one for all that do). */
@Extension
public final class OneDriveMicrosoft365 extends Microsoft365Integration {
}
