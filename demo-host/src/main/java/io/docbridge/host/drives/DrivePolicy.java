package io.docbridge.host.drives;

import io.docbridge.api.SettingsStore;

/**
 * What an administrator allows in My Files (Admin → Integrations): whether people may connect drives of their own,
 * and whether they may download from them. Both are on until an administrator turns them off. Turning personal
 * drives off stops new connections; drives already connected keep syncing until their owners disconnect them.
 */
public final class DrivePolicy {
    private static final String PERSONAL = "drives.personal";
    private static final String DOWNLOADS = "drives.downloads";

    private final SettingsStore store;

    public DrivePolicy(SettingsStore store) {
        this.store = store;
    }

    public boolean personalDrives() {
        return store.get(PERSONAL).map(Boolean::parseBoolean).orElse(true);
    }

    public boolean downloads() {
        return store.get(DOWNLOADS).map(Boolean::parseBoolean).orElse(true);
    }

    public void set(boolean personalDrives, boolean downloads) {
        store.put(PERSONAL, Boolean.toString(personalDrives));
        store.put(DOWNLOADS, Boolean.toString(downloads));
    }
}
