package io.docbridge.graph;

import io.docbridge.emulator.graph.DriveStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client and the emulator agree on which Office files SharePoint rewrites (three lists disagreed once). */
class OfficeFilesTest {
    @Test
    void theEmulatorRewritesExactlyTheTypesTheClientExpectsToBeRewritten() {
        assertEquals(OfficeFiles.REWRITTEN_BY_SHAREPOINT, DriveStore.REWRITTEN_OFFICE_TYPES);
    }

    @Test
    void macroEnabledDocumentsAreOfficeFilesToo() {
        assertTrue(OfficeFiles.rewrittenBySharePoint("Budget 2026.XLSM"));
        assertTrue(OfficeFiles.rewrittenBySharePoint("minutes.docm"));
        assertFalse(OfficeFiles.rewrittenBySharePoint("drawing.pdf"));
        assertFalse(OfficeFiles.rewrittenBySharePoint("docx"));
    }
}
