package io.docbridge.sharepoint;

import io.docbridge.api.ObjectPath;

import java.util.ArrayList;
import java.util.List;

/**
 * Where in the library a revision file goes. The host's logical path is {@code project/document/revision/file}.
 */
enum FolderLayout {
    /** {@code /{Project}/{DocumentNumber}/{RevisionCode}/file}: browsable in SharePoint. The default. */
    BY_PROJECT("By project"),
    /** Every file in one folder, named {@code Project_Document_Revision_file}. */
    FLAT("Flat");

    private final String label;

    FolderLayout(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The library-relative folders and file name for a logical path, below an optional root folder, all legal. */
    List<String> place(ObjectPath path, List<String> root) {
        List<String> segments = new ArrayList<>();
        root.forEach(r -> segments.add(SharePointNames.legal(r)));
        if (this == FLAT) {
            segments.add(SharePointNames.legal(String.join("_", path.segments())));
        } else {
            path.segments().forEach(s -> segments.add(SharePointNames.legal(s)));
        }
        SharePointNames.checkLength(segments);
        return segments;
    }
}
