package io.docbridge.host;

import io.docbridge.host.testing.PluginJarBuilder;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.TestPlugins;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PF4J loading from plugins/: good, broken and corrupt archives, rescan, start and stop, plugin servlets. */
class PluginLoadingTest {
    @TempDir
    Path root;

    private static String row(String page, String pluginId) {
        int start = page.indexOf("<tr id=\"plugin-" + pluginId + "\">");
        assertTrue(start >= 0, () -> "no row for " + pluginId + " in " + page);
        return page.substring(start, page.indexOf("</tr>", start));
    }

    @Test
    void aPluginThatThrowsOnStartIsShownAsFailedWithItsReasonAndTheHostRuns() throws Exception {
        TestPlugins.brokenStart(root.resolve("plugins"));
        TestPlugins.hello(root.resolve("plugins"));
        try (TestHost host = TestHost.start(root)) {
            String page = host.admin().get("/admin/plugins").body();

            assertTrue(row(page, "broken-start").contains("FAILED"), page);
            assertTrue(row(page, "broken-start").contains("The licence file is missing"));
            assertTrue(row(page, "hello").contains("STARTED"));
        }
    }

    @Test
    void aPluginThatThrowsAnErrorOnStartIsFailedWithItsReasonAtStartUpAndOnRescan() throws Exception {
        TestPlugins.errorOnStart(root.resolve("plugins"));
        try (TestHost host = TestHost.start(root)) {
            WebClient admin = host.admin();
            String page = admin.get("/admin/plugins").body();
            assertTrue(row(page, "error-start").contains("FAILED"), page);
            assertTrue(row(page, "error-start").contains("The native library could not be loaded"), page);

            TestPlugins.hello(host.pluginsDir);
            HttpResponse<String> rescanned = admin.post("/admin/plugins/rescan", Map.of());
            assertEquals(303, rescanned.statusCode(), rescanned.body());
            assertTrue(row(admin.follow(rescanned).body(), "hello").contains("STARTED"));
        }
    }

    @Test
    void aZipSlipArchiveIsRefusedWithItsRealReasonAndStaysRefusedOnRescan() throws Exception {
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        Path evil = plugins.resolve("evil.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(evil))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("plugin.properties"));
            zip.write("plugin.id=evil\nplugin.version=1.0.0\nplugin.class=org.pf4j.Plugin\n".getBytes());
            zip.putNextEntry(new java.util.zip.ZipEntry("../../escaped.txt"));
            zip.write("outside".getBytes());
        }
        try (TestHost host = TestHost.start(root)) {
            WebClient admin = host.admin();
            for (int scan = 0; scan < 2; scan++) {
                admin.get("/admin/plugins");
                admin.post("/admin/plugins/rescan", Map.of());
                String page = admin.get("/admin/plugins").body();
                assertTrue(row(page, "evil.zip").contains("LOAD_FAILED"), page);
                assertTrue(row(page, "evil.zip").contains("zip-slip"), page);
                assertFalse(page.contains("plugin-evil\""), "the refused archive was loaded: " + page);
            }
            assertFalse(Files.exists(root.resolve("escaped.txt")));
            assertFalse(Files.exists(plugins.resolve("evil")), "its half-expanded folder was kept");
        }
    }

    @Test
    void aCorruptArchiveIsListedWithTheReasonAndTheOthersLoad() throws Exception {
        PluginJarBuilder.corruptJar(root.resolve("plugins"), "garbage.jar");
        TestPlugins.hello(root.resolve("plugins"));
        try (TestHost host = TestHost.start(root)) {
            String page = host.admin().get("/admin/plugins").body();

            assertTrue(row(page, "garbage.jar").contains("LOAD_FAILED"), page);
            assertTrue(row(page, "hello").contains("STARTED"));
        }
    }

    @Test
    void aPluginThatCallsItselfHostIsRefusedSoItCannotReadTheHostsSecrets() throws Exception {
        io.docbridge.host.testing.PluginJarBuilder.plugin("host").pluginClass("thief.HostPlugin", """
                package thief;
                public class HostPlugin extends org.pf4j.Plugin {
                }
                """).writeTo(root.resolve("plugins"));
        TestPlugins.hello(root.resolve("plugins"));
        try (TestHost host = TestHost.start(root)) {
            String page = host.admin().get("/admin/plugins").body();

            assertTrue(page.contains("is reserved: the host keeps its own settings and secrets under it"), page);
            assertTrue(row(page, "hello").contains("STARTED"));
            assertFalse(host.host().plugins().plugin("host").map(p -> p.state().equals("STARTED")).orElse(false));
        }
    }

    @Test
    void theBuiltMicrosoftPluginArchivesLoadAndStart() throws Exception {
        Path built = Path.of(System.getProperty("docbridge.test.plugins", "target/plugins"));
        Files.createDirectories(root.resolve("plugins"));
        for (String zip : new String[]{"sharepoint-plugin.zip", "onedrive-plugin.zip", TestHost.M365_LIBRARY}) {
            Files.copy(built.resolve(zip), root.resolve("plugins").resolve(zip));
        }
        try (TestHost host = TestHost.start(root)) {
            String page = host.admin().get("/admin/plugins").body();

            assertTrue(row(page, "sharepoint").contains("STARTED"), page);
            assertTrue(row(page, "onedrive").contains("STARTED"), page);
            assertTrue(row(page, "m365-library").contains("STARTED"), page);
        }
    }

    @Test
    void theJarsInsideThePluginArchivesAreStoredNotCompressedAgain() throws Exception {
        // A jar is compressed already; deflating it again saves nothing and made every fresh start inflate the
        // Microsoft 365 library's 80 MB (half a second) before the host could answer.
        Path built = Path.of(System.getProperty("docbridge.test.plugins", "target/plugins"));
        for (String zip : new String[]{"sharepoint-plugin.zip", "onedrive-plugin.zip", TestHost.M365_LIBRARY}) {
            try (java.util.zip.ZipFile archive = new java.util.zip.ZipFile(built.resolve(zip).toFile())) {
                java.util.List<String> deflated = archive.stream().filter(e -> e.getName().endsWith(".jar"))
                        .filter(e -> e.getMethod() != java.util.zip.ZipEntry.STORED).map(e -> e.getName()).toList();
                assertTrue(deflated.isEmpty(), zip + " deflates " + deflated);
            }
        }
    }

    @Test
    void rescanLoadsAJarDroppedInWhileTheHostRuns() throws Exception {
        try (TestHost host = TestHost.start(root)) {
            WebClient admin = host.admin();
            assertFalse(admin.get("/admin/plugins").body().contains("plugin-hello"));
            TestPlugins.hello(host.pluginsDir);

            String page = admin.follow(admin.post("/admin/plugins/rescan", Map.of())).body();

            assertTrue(page.contains("Loaded hello."), page);
            assertTrue(row(page, "hello").contains("STARTED"));
            assertTrue(admin.get("/settings/storage/add").body().contains("type-hello-storage"));
        }
    }

    @Test
    void pluginServletsAreMountedWithTheirAccessLevels() throws Exception {
        TestPlugins.hello(root.resolve("plugins"));
        try (TestHost host = TestHost.start(root)) {
            WebClient visitor = host.client();
            WebClient admin = host.admin();

            assertEquals("hello public " + host.url("/"), visitor.get("/plugins/hello/public").body());
            assertEquals(303, visitor.get("/plugins/hello/me").statusCode(), "a USER route let a visitor in");
            assertEquals("hello admin", admin.get("/plugins/hello/me").body());
            assertEquals("admin /x/y", admin.get("/plugins/hello/admin/x/y").body());
            assertEquals(404, admin.get("/plugins/hello/unknown").statusCode());
        }
    }

    @Test
    void aPluginServletPostNeedsTheCsrfTokenAndItsSettingsPersist() throws Exception {
        TestPlugins.hello(root.resolve("plugins"));
        try (TestHost host = TestHost.start(root)) {
            WebClient admin = host.admin();

            assertEquals(403, admin.postRaw("/plugins/hello/note", Map.of("note", "forged")).statusCode());
            assertEquals("saved", admin.post("/plugins/hello/note", Map.of("note", "kept")).body());
            assertEquals("kept", admin.get("/plugins/hello/note").body());
        }
    }

    @Test
    void stoppingAPluginRemovesItsServletsAndTypesAndStartingRestoresThem() throws Exception {
        TestPlugins.hello(root.resolve("plugins"));
        try (TestHost host = TestHost.start(root)) {
            WebClient admin = host.admin();
            admin.get("/admin/plugins");

            HttpResponse<String> stopped = admin.follow(admin.post("/admin/plugins/hello/stop", Map.of()));
            assertTrue(row(stopped.body(), "hello").contains("STOPPED"), stopped.body());
            assertEquals(404, admin.get("/plugins/hello/me").statusCode());
            assertFalse(admin.get("/settings/storage/add").body().contains("type-hello-storage"));

            admin.get("/admin/plugins");
            admin.follow(admin.post("/admin/plugins/hello/start", Map.of()));
            assertEquals("hello admin", admin.get("/plugins/hello/me").body());
        }
    }
}
