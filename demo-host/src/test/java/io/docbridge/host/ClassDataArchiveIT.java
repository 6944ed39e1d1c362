package io.docbridge.host;

import io.docbridge.host.testing.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The class-data archive the build makes fits the jar it was made with: the built host, started as the README starts
 * the demo, maps its classes from the archive instead of loading them from the jars. {@code -Xshare:on} makes an
 * archive that does not fit (another jar, another JDK) stop the JVM instead of being passed over in silence.
 */
class ClassDataArchiveIT {
    @TempDir
    Path root;

    @Test
    void theBuiltHostStartsFromTheBuildsClassDataArchive() throws Exception {
        Path plugins = ClassDataTraining.copyPluginArchives(Path.of(System.getProperty("docbridge.test.plugins")),
                root.resolve("plugins"));
        Path archive = Path.of(System.getProperty("docbridge.host.class.data", "target/docbridge-host.jsa"))
                .toAbsolutePath();
        Path classLog = root.resolve("classes.log");

        try (HostProcess host = HostProcess.start(root.resolve("data"), plugins, List.of(), Map.of(), List.of(
                "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + classLog))) {
            List<String> loaded = Files.readAllLines(classLog);
            long fromTheArchive = loaded.stream().filter(line -> line.contains("source: shared objects file (top)"))
                    .count();
            long fromTheHostsJars = loaded.stream().filter(line -> line.contains("/lib/")
                    || line.contains("docbridge-host.jar")).count();
            // The few left are classes the archive cannot hold (those of signed jars, such as Bouncy Castle's).
            assertTrue(fromTheArchive > 10 * fromTheHostsJars, fromTheArchive + " classes came from the archive, "
                    + fromTheHostsJars + " from the host's jars");
        }
    }
}
