package io.docbridge.host.testing;

import java.io.IOException;
import java.nio.file.Path;

/** Plugins that tests build and drop into a host's plugins folder. */
public final class TestPlugins {
    private TestPlugins() {
    }

    /**
     * "hello": a storage type with its own settings template and a secret field, and servlets with each access
     * level; its storage keeps files in memory.
     */
    public static Path hello(Path pluginsDir) throws IOException {
        return PluginJarBuilder.plugin("hello")
                .extension("hello.HelloStorageType", """
                        package hello;
                        import io.docbridge.api.*;
                        import java.util.List;
                        import java.util.Map;
                        @org.pf4j.Extension
                        public class HelloStorageType implements StorageProviderType {
                            public String id() { return "hello-storage"; }
                            public String displayName() { return "Hello storage"; }
                            public String description() { return "Keeps files in memory, for tests."; }
                            public List<SettingField> settingFields() {
                                return List.of(SettingField.text("greeting", "Greeting", "", "hi", true),
                                        SettingField.secret("apiKey", "API key", "Never shown again"));
                            }
                            public String settingsTemplate() { return "hello/settings.ftlh"; }
                            public Map<String, String> validate(Map<String, String> submitted, io.docbridge.api.PlatformUser by, HostContext host) {
                                if ("forbidden".equals(submitted.get("greeting"))) {
                                    throw new SettingsException("greeting", "That greeting is not allowed");
                                }
                                return StorageProviderType.super.validate(submitted, by, host);
                            }
                            public StorageProvider create(InstanceSettings settings, HostContext host) {
                                String key = host.secrets().get(settings.secretKey("apiKey")).orElse("");
                                if (!key.equals("s3cr3t-api-key")) {
                                    throw new SettingsException("apiKey", "the API key did not survive the secret store");
                                }
                                return new io.docbridge.tck.InMemoryStorageProvider(host.clock());
                            }
                        }
                        """)
                .extension("hello.HelloServlets", """
                        package hello;
                        import io.docbridge.api.*;
                        import jakarta.servlet.http.*;
                        import java.io.IOException;
                        import java.util.List;
                        @org.pf4j.Extension
                        public class HelloServlets implements PluginServlets {
                            public List<ServletRoute> routes(HostContext host) {
                                return List.of(
                                    new ServletRoute("/public", text(r -> "hello public " + host.publicBaseUrl()),
                                            ServletRoute.Access.PUBLIC),
                                    new ServletRoute("/me", text(r -> "hello " + PlatformUser.of(r).username()),
                                            ServletRoute.Access.USER),
                                    new ServletRoute("/admin/*", text(r -> "admin " + r.getPathInfo()),
                                            ServletRoute.Access.ORG_ADMIN),
                                    new ServletRoute("/note", new HttpServlet() {
                                        protected void doGet(HttpServletRequest q, HttpServletResponse s) throws IOException {
                                            s.getWriter().write(host.settings().get("note").orElse("none"));
                                        }
                                        protected void doPost(HttpServletRequest q, HttpServletResponse s) throws IOException {
                                            host.settings().put("note", q.getParameter("note"));
                                            s.getWriter().write("saved");
                                        }
                                    }, ServletRoute.Access.USER));
                            }
                            interface Body { String of(HttpServletRequest r); }
                            static HttpServlet text(Body body) {
                                return new HttpServlet() {
                                    protected void doGet(HttpServletRequest q, HttpServletResponse s) throws IOException {
                                        s.setContentType("text/plain");
                                        s.getWriter().write(body.of(q));
                                    }
                                };
                            }
                        }
                        """)
                .resource("hello/settings.ftlh", """
                        <div id="hello-settings">
                          <label for="f-greeting">Greeting</label>
                          <input id="f-greeting" name="greeting" value="${values.greeting!''}">
                          <#if errors.greeting??><p class="error" id="error-greeting">${errors.greeting}</p></#if>
                          <label for="f-apiKey">API key</label>
                          <input id="f-apiKey" name="apiKey" type="password" value="${values.apiKey!''}">
                          <a id="hello-public" href="${pluginBase}public">public page</a>
                        </div>
                        """)
                .writeTo(pluginsDir);
    }

    /** "broken-start": its start() throws, as a plugin with a missing licence file would. */
    public static Path brokenStart(Path pluginsDir) throws IOException {
        return throwingOnStart(pluginsDir, "broken-start", "BrokenPlugin",
                "new IllegalStateException(\"The licence file is missing\")");
    }

    /** "error-start": a plugin whose start throws a java.lang.Error, as a missing class or a bad static would. */
    public static Path errorOnStart(Path pluginsDir) throws IOException {
        return throwingOnStart(pluginsDir, "error-start", "ErrorPlugin",
                "new Error(\"The native library could not be loaded\")");
    }

    private static Path throwingOnStart(Path pluginsDir, String pluginId, String className, String throwable)
            throws IOException {
        return PluginJarBuilder.plugin(pluginId)
                .pluginClass("broken." + className, """
                        package broken;
                        public class %s extends org.pf4j.Plugin {
                            public void start() { throw %s; }
                        }
                        """.formatted(className, throwable))
                .writeTo(pluginsDir);
    }

    /**
     * "slow-start": its start() takes until the file {@code release} exists (two minutes at most), as a plugin that
     * opens a slow connection at start would.
     */
    public static Path slowStart(Path pluginsDir, Path release) throws IOException {
        return PluginJarBuilder.plugin("slow-start")
                .pluginClass("slow.SlowPlugin", """
                        package slow;
                        import java.nio.file.Files;
                        import java.nio.file.Path;
                        public class SlowPlugin extends org.pf4j.Plugin {
                            public void start() {
                                Path release = Path.of("%s");
                                long deadline = System.nanoTime() + 120_000_000_000L;
                                while (!Files.exists(release) && System.nanoTime() < deadline) {
                                    try {
                                        Thread.sleep(10);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                        return;
                                    }
                                }
                            }
                        }
                        """.formatted(release.toAbsolutePath()))
                .writeTo(pluginsDir);
    }

    /** "failing-storage": a storage type whose writes fail part-way, as a dropped connection would. */
    public static Path failingStorage(Path pluginsDir) throws IOException {
        return PluginJarBuilder.plugin("failing-storage")
                .extension("failing.FailingStorageType", """
                        package failing;
                        import io.docbridge.api.*;
                        import java.io.InputStream;
                        import java.util.List;
                        import java.util.Map;
                        @org.pf4j.Extension
                        public class FailingStorageType implements StorageProviderType {
                            public String id() { return "failing-storage"; }
                            public String displayName() { return "Failing storage"; }
                            public String description() { return "Fails every write half-way."; }
                            public List<SettingField> settingFields() { return List.of(); }
                            public StorageProvider create(InstanceSettings settings, HostContext host) {
                                return new StorageProvider() {
                                    public StoredObject put(ObjectPath path, InputStream in, long size, Map<String, String> m) {
                                        try { in.readNBytes(10); } catch (java.io.IOException e) { throw new RuntimeException(e); }
                                        throw new PluginException(ErrorKind.UNAVAILABLE,
                                                "The storage service dropped the connection");
                                    }
                                    public InputStream open(String key) {
                                        throw new PluginException(ErrorKind.NOT_FOUND, "nothing here");
                                    }
                                    public void delete(String key) { }
                                    public Health verify() {
                                        return Health.failed("The storage service dropped the connection", host.clock().instant());
                                    }
                                };
                            }
                        }
                        """)
                .writeTo(pluginsDir);
    }
}
