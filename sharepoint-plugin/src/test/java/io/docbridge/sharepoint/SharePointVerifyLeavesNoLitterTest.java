package io.docbridge.sharepoint;

import io.docbridge.api.Health;
import io.docbridge.emulator.graph.DriveStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run Verification writes a probe in a folder of its own, and takes both away again: no litter in the library. */
class SharePointVerifyLeavesNoLitterTest {
    @Test
    void verificationRemovesItsProbeAndItsFolder() throws Exception {
        EmulatedSharePoint sharePoint = EmulatedSharePoint.get();

        Health health = sharePoint.storage().verify();

        assertEquals(Health.Status.VERIFIED, health.status(), health.message());
        String root = sharePoint.emulator.drives().itemByPath(sharePoint.library.id(), "root", "Docbridge TCK").id();
        List<String> names = sharePoint.emulator.drives().children(sharePoint.library.id(), root).stream()
                .map(DriveStore.Item::name).toList();
        assertTrue(names.stream().noneMatch(n -> n.equals(SharePointStorage.VERIFY_FOLDER)), names.toString());
    }
}
