package io.docbridge.host.plugins;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugins know the host only through plugin-api: no plugin module names an address of the host (its pages,
 * its stylesheet, its forms). A plugin's pages link below {@code pluginBase}; a finished setup goes back through
 * {@code Setups.handBack}, and the host decides where that is.
 */
class PluginBoundaryTest {
    /** The first segment of every address the host serves besides the plugins' own. */
    private static final String HOST_ROOTS = "documents|projects|revisions|login|logout|settings|admin|files|static"
            + "|notifications|metrics|healthz|readyz|plugins";
    /** A Java string literal that starts with a host address. */
    static final Pattern LITERAL = Pattern.compile("\"/(" + HOST_ROOTS + ")\\b[^\"]*\"");
    /**
     * An HTML attribute that holds an absolute address, in a template or in HTML written in Java (quotes escaped or
     * in a text block): plugins link below ${pluginBase}, or to an address the host gave them.
     */
    static final Pattern ATTRIBUTE = Pattern.compile("\\b(href|action|src)=\\\\?\"/[^\"\\\\]*");

    /** The modules a host developer would ship as plugins, or as a library inside them. */
    private static List<Path> pluginSources() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> modules = new ArrayList<>(List.of(root.resolve("graph-drive"), root.resolve("sharepoint-plugin"),
                root.resolve("onedrive-plugin")));
        try (Stream<Path> examples = Files.list(root.resolve("examples"))) {
            examples.filter(Files::isDirectory).forEach(modules::add);
        }
        List<Path> files = new ArrayList<>();
        for (Path module : modules) {
            try (Stream<Path> walk = Files.walk(module.resolve("src/main"))) {
                walk.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".ftlh")).forEach(files::add);
            }
        }
        return files;
    }

    static List<String> hostAddresses(Path file, String text) {
        List<String> found = new ArrayList<>();
        for (Pattern pattern : file.toString().endsWith(".java") ? List.of(LITERAL, ATTRIBUTE) : List.of(ATTRIBUTE)) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                found.add(file.getFileName() + ": " + m.group());
            }
        }
        return found;
    }

    @Test
    void noPluginModuleNamesAHostAddress() throws IOException {
        List<Path> files = pluginSources();
        assertTrue(files.size() > 30, "the scan found too few sources to mean anything: " + files.size());
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            found.addAll(hostAddresses(file, Files.readString(file)));
        }
        assertEquals(List.of(), found, "plugins reach the host through plugin-api (Pages, Setups), never by address");
    }

    @Test
    void theScanCatchesWhatPluginsUsedToWrite() {
        // What the Microsoft plugins had before the setup hand-back existed: each must be caught.
        assertFalse(hostAddresses(Path.of("A.java"), "String ADD = \"/files/add/\" + ID;").isEmpty());
        assertFalse(hostAddresses(Path.of("A.java"), "STORAGE(\"\", \"/settings/storage/add/\" + ID)").isEmpty());
        assertFalse(hostAddresses(Path.of("A.java"), "\"<a class=\\\"button\\\" href=\\\"/files\\\">Back\"").isEmpty());
        assertFalse(hostAddresses(Path.of("A.java"), "<link rel=\"stylesheet\" href=\"/static/app.css\">").isEmpty());
        assertFalse(hostAddresses(Path.of("a.ftlh"), "<a href=\"/documents\">").isEmpty());
        assertEquals(0, hostAddresses(Path.of("a.ftlh"), "<a href=\"${pluginBase}sites\">").size());
        assertEquals(0, hostAddresses(Path.of("A.java"), "new ServletRoute(\"/connect\", servlet, USER)").size());
        assertEquals(0, hostAddresses(Path.of("A.java"), "base + \"/drives/\" + id").size());
    }
}
