package io.docbridge.sharepoint;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.ObjectPath;
import io.docbridge.api.PluginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharePointNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "plan.pdf|plan.pdf",
            "what?.pdf|what？.pdf",
            "a:b*c<d>e|a：b＊c＜d＞e",
            "ends with a dot.|ends with a dot．",
            "~$lockfile.docx|～$lockfile.docx",
            "CON|CON_",
            "con.txt|con_.txt",
            "LPT1.log|LPT1_.log",
            "desktop.ini|desktop_.ini",
            "my_vti_file|my_vti－file",
            "Grundriß – Ebene 2.dwg|Grundriß – Ebene 2.dwg"})
    void namesBecomeLegalAndStillRead(String given, String expected) {
        assertEquals(expected, SharePointNames.legal(given));
    }

    @Test
    void quotesBackslashesAndBarsBecomeFullWidth() {
        assertEquals("a'b＂c.txt", SharePointNames.legal("a'b\"c.txt"));
        assertEquals("x＼y｜z", SharePointNames.legal("x\\y|z"));
    }

    @Test
    void theByProjectLayoutKeepsTheFoldersUnderTheRoot() {
        List<String> place = FolderLayout.BY_PROJECT.place(ObjectPath.of("PRJ-1", "DOC-1", "A", "plan?.pdf"),
                List.of("Docbridge"));

        assertEquals(List.of("Docbridge", "PRJ-1", "DOC-1", "A", "plan？.pdf"), place);
    }

    @Test
    void theFlatLayoutPutsEverythingInOneFolder() {
        assertEquals(List.of("PRJ-1_DOC-1_A_plan.pdf"),
                FolderLayout.FLAT.place(ObjectPath.of("PRJ-1", "DOC-1", "A", "plan.pdf"), List.of()));
    }

    @Test
    void aPathOf400CharactersIsRefusedBeforeAnythingIsWritten() {
        PluginException e = assertThrows(PluginException.class, () -> FolderLayout.BY_PROJECT.place(
                ObjectPath.of("PRJ", "DOC", "A", "x".repeat(390) + ".pdf"), List.of()));

        assertEquals(ErrorKind.NAME_NOT_ALLOWED, e.kind());
        assertTrue(e.getMessage().contains("fewer than 400"), e.getMessage());
    }
}
