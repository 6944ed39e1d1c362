package io.docbridge.sharepoint;

import io.docbridge.api.ObjectPath;
import io.docbridge.api.StoredObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharePoint writes column values into Office documents after upload, so their hash differs: that is kept as the
 * stored revision, never taken for corruption (a rewritten .docm was deleted as a checksum mismatch once).
 */
class SharePointOfficeFilesTest {
    @Test
    void aMacroEnabledDocumentThatSharePointRewroteIsKept() throws Exception {
        EmulatedSharePoint sharePoint = EmulatedSharePoint.get();
        sharePoint.emulator.drives().rewriteOfficeFiles(true);
        byte[] sent = "a macro-enabled document".getBytes(StandardCharsets.UTF_8);

        StoredObject stored = sharePoint.storage().put(ObjectPath.of("PRJ", "DOC-" + System.nanoTime(), "A",
                "minutes.docm"), new ByteArrayInputStream(sent), sent.length, Map.of());

        try (InputStream in = sharePoint.storage().open(stored.key())) {
            byte[] kept = in.readAllBytes();
            assertTrue(kept.length > 0);
            assertNotEquals(new String(sent, StandardCharsets.UTF_8), new String(kept, StandardCharsets.UTF_8),
                    "the emulator did not rewrite it, so this test proves nothing");
        }
    }
}
