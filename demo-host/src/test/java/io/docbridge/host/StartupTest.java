package io.docbridge.host;

import io.docbridge.host.testing.TestHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up: state survives a restart; what cannot work is refused with a message for the console. */
class StartupTest {
    @TempDir
    Path root;

    @Test
    void documentsAndUsersSurviveARestart() {
        try (TestHost host = TestHost.start(root)) {
            var admin = host.admin();
            admin.post("/projects", Map.of("code", "KEEP", "name", "Kept"));
        }
        try (TestHost host = TestHost.start(root)) {
            assertTrue(host.admin().get("/documents").body().contains("KEEP"));
        }
    }

    @Test
    void uploadSpoolFilesLeftByAKilledProcessAreRemovedAtStart() throws Exception {
        java.nio.file.Path uploads = java.nio.file.Files.createDirectories(root.resolve("data/uploads"));
        java.nio.file.Path left = java.nio.file.Files.writeString(uploads.resolve("MultiPart123.tmp"), "half a file");

        try (TestHost host = TestHost.start(root)) {
            assertTrue(java.nio.file.Files.notExists(left), "a spool file of the killed process was kept");
        }
    }

    @Test
    void aDamagedDatabaseFileGivesAClearStartupError() throws Exception {
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/docbridge.mv.db"), "this is not an H2 database ".repeat(200));

        HostStartupException e = assertThrows(HostStartupException.class, () -> TestHost.start(root));

        assertTrue(e.getMessage().startsWith("Cannot open the database at jdbc:h2:file:"), e.getMessage());
        assertTrue(e.getMessage().contains("not damaged"), e.getMessage());
    }

    @Test
    void aDataFolderThatIsAFileGivesAClearStartupError() throws Exception {
        Files.writeString(root.resolve("data"), "not a folder");

        HostStartupException e = assertThrows(HostStartupException.class, () -> TestHost.start(root));

        assertTrue(e.getMessage().startsWith("Cannot create the data folder"), e.getMessage());
    }

    @Test
    void theFirstAdministratorIsCreatedOnceWithAGeneratedPasswordWhenNoneIsGiven() {
        Path data = root.resolve("gen");
        try (DocbridgeHost host = DocbridgeHost.start(HostConfig.of(data.resolve("data"), data.resolve("plugins")))) {
            String password = host.generatedAdminPassword().orElseThrow();
            assertEquals(16, password.length());
        }
        try (DocbridgeHost again = DocbridgeHost.start(HostConfig.of(data.resolve("data"), data.resolve("plugins")))) {
            assertTrue(again.generatedAdminPassword().isEmpty(), "a second administrator password was generated");
        }
    }
}
