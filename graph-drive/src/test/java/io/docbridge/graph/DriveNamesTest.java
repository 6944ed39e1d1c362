package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriveNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "'what?.txt' | contains ?",
            "'a:b' | contains :",
            "'x*' | contains *",
            "'say \"hi\"' | contains \"",
            "' lead' | starts with a space",
            "'trail ' | ends with a space",
            "'draft.' | ends with a period",
            "'~$Report.docx' | starts with ~$",
            "'my_vti_folder' | contains _vti_",
            "'CON' | reserved name",
            "'nul.txt' | reserved name",
            "'COM7.log' | reserved name",
            "'desktop.ini' | reserved name",
            "'.lock' | reserved name"})
    void namesOneDriveAndSharePointRefuseAreRefusedSayingWhy(String name, String why) {
        PluginException e = assertThrows(PluginException.class, () -> DriveNames.check(name));
        assertEquals(ErrorKind.NAME_NOT_ALLOWED, e.kind());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Report.docx", "Ärger & Freude #1 {draft} [v2] ~notes.txt", "console.txt", "COM10",
            "résumé (1).pdf", ".gitignore", "Q3 ~ forecast.xlsx"})
    void ordinaryNamesPass(String name) {
        DriveNames.check(name);
    }

    @Test
    void anEmptyNameIsRefused() {
        assertEquals(ErrorKind.NAME_NOT_ALLOWED, assertThrows(PluginException.class, () -> DriveNames.check("")).kind());
    }
}
