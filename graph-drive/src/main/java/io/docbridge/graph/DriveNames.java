package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;

import java.util.Locale;
import java.util.Set;

/**
 * The names OneDrive and SharePoint refuse for files and folders ("Restrictions and limitations in OneDrive and
 * SharePoint"), checked before a request so the person learns which character or word is the problem, instead of
 * Graph's generic "invalid characters". Unlike storage (which makes names legal by itself), a person naming an item
 * chooses the new name.
 */
public final class DriveNames {
    /** The characters OneDrive and SharePoint refuse anywhere in a name. */
    public static final String INVALID = "\"*:<>?/\\|";
    private static final Set<String> RESERVED = Set.of("con", "prn", "aux", "nul", ".lock", "desktop.ini");

    private DriveNames() {
    }

    /**
     * @throws PluginException {@link ErrorKind#NAME_NOT_ALLOWED}, saying what is wrong with the name
     */
    public static void check(String name) {
        if (name == null || name.isEmpty()) {
            throw refused("An item needs a name.");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (INVALID.indexOf(c) >= 0) {
                throw refused("\"" + name + "\" contains " + c + ", which OneDrive and SharePoint do not allow in "
                        + "names (\" * : < > ? / \\ |).");
            }
            if (c < 32) {
                throw refused("\"" + name.replaceAll("\\p{Cntrl}", "�") + "\" contains a control character.");
            }
        }
        if (name.startsWith(" ") || name.endsWith(" ")) {
            throw refused("\"" + name + "\" " + (name.startsWith(" ") ? "starts" : "ends") + " with a space.");
        }
        if (name.endsWith(".")) {
            throw refused("\"" + name + "\" ends with a period.");
        }
        if (name.startsWith("~$")) {
            throw refused("\"" + name + "\" starts with ~$, which marks Office's lock files.");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("_vti_")) {
            throw refused("\"" + name + "\" contains _vti_, which SharePoint reserves.");
        }
        if (reserved(name)) {
            throw refused("\"" + name + "\" is a reserved name (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9, .lock, "
                    + "desktop.ini).");
        }
    }

    /** Whether the name is one they reserve: CON, PRN, AUX, NUL, COM0-9, LPT0-9 (with any extension), .lock, desktop.ini. */
    public static boolean reserved(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String stem = lower.indexOf('.') > 0 ? lower.substring(0, lower.indexOf('.')) : lower;
        return RESERVED.contains(lower) || RESERVED.contains(stem) || stem.matches("(com|lpt)[0-9]");
    }

    private static PluginException refused(String message) {
        return new PluginException(ErrorKind.NAME_NOT_ALLOWED, message);
    }
}
