package io.docbridge.graph;

import java.util.Locale;
import java.util.Set;

/**
 * The Office file types SharePoint rewrites after an upload: it writes the library's column values (properties)
 * into the document, so the stored file's size and quickXorHash differ from what was sent. For these, a hash that
 * differs after upload is expected, and the service's version is kept; for any other file it means corruption.
 * The one list used by the Graph client, the SharePoint storage provider and (checked by a test) the emulator.
 */
public final class OfficeFiles {
    /** Lower-case extensions, with the dot. */
    public static final Set<String> REWRITTEN_BY_SHAREPOINT = Set.of(".docx", ".xlsx", ".pptx", ".docm", ".xlsm",
            ".pptm");

    private OfficeFiles() {
    }

    /** Whether SharePoint may rewrite a file of this name after upload. */
    public static boolean rewrittenBySharePoint(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return REWRITTEN_BY_SHAREPOINT.stream().anyMatch(lower::endsWith);
    }
}
