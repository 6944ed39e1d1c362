package io.docbridge.host.testing;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds a PF4J plugin jar from Java source during a test: compiles the sources against the test class path
 * (so they see plugin-api and pf4j, which the jar leaves out as a real plugin does), and writes the manifest and
 * the extension index that PF4J's annotation processor would have written.
 */
public final class PluginJarBuilder {
    private final String pluginId;
    private String version = "1.0.0";
    private String pluginClass;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();
    private final Map<String, String> resources = new LinkedHashMap<>();

    private PluginJarBuilder(String pluginId) {
        this.pluginId = pluginId;
    }

    public static PluginJarBuilder plugin(String pluginId) {
        return new PluginJarBuilder(pluginId);
    }

    public PluginJarBuilder version(String v) {
        this.version = v;
        return this;
    }

    /** The plugin's lifecycle class (extends org.pf4j.Plugin). */
    public PluginJarBuilder pluginClass(String className, String source) {
        this.pluginClass = className;
        sources.put(className, source);
        return this;
    }

    /** A class listed in the extension index. */
    public PluginJarBuilder extension(String className, String source) {
        extensions.add(className);
        sources.put(className, source);
        return this;
    }

    public PluginJarBuilder source(String className, String source) {
        sources.put(className, source);
        return this;
    }

    public PluginJarBuilder resource(String path, String content) {
        resources.put(path, content);
        return this;
    }

    /** Compiles and writes the jar into the folder; returns its path. */
    public Path writeTo(Path dir) throws IOException {
        Path classes = Files.createTempDirectory("plugin-classes");
        compile(classes);
        Files.createDirectories(dir);
        Path jar = dir.resolve(pluginId + "-" + version + ".jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", pluginId);
        main.putValue("Plugin-Version", version);
        main.putValue("Plugin-Provider", "Docbridge tests");
        main.putValue("Plugin-Description", "Test plugin " + pluginId);
        if (pluginClass != null) {
            main.putValue("Plugin-Class", pluginClass);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            write(out, "META-INF/extensions.idx", String.join("\n", extensions) + "\n");
            for (var r : resources.entrySet()) {
                write(out, r.getKey(), r.getValue());
            }
        }
        return jar;
    }

    private static void write(OutputStream jar, String name, String content) throws IOException {
        ((JarOutputStream) jar).putNextEntry(new JarEntry(name));
        jar.write(content.getBytes(StandardCharsets.UTF_8));
        ((JarOutputStream) jar).closeEntry();
    }

    private void compile(Path classes) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        }));
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    "-proc:none", "--release", "17");
            boolean ok = compiler.getTask(null, files, diagnostics, options, null, units).call();
            if (!ok) {
                throw new IllegalStateException("plugin sources do not compile: " + diagnostics.getDiagnostics());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a file that looks like a plugin jar but is not a zip at all. */
    public static Path corruptJar(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), "this is not a jar".getBytes(StandardCharsets.UTF_8));
    }
}
