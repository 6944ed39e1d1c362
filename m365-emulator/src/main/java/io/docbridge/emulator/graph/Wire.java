package io.docbridge.emulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** What every Graph answer shares: its content type, its timestamps, reading a JSON body, the caller's base URL. */
final class Wire {
    static final String JSON = "application/json;odata.metadata=minimal;odata.streaming=true;"
            + "IEEE754Compatible=false;charset=utf-8";
    /** Graph's timestamps: UTC, second precision, a trailing Z. */
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Wire() {
    }

    static void ok(HttpServletResponse resp, ObjectNode body) throws IOException {
        Json.write(resp, 200, body, JSON);
    }

    static JsonNode readJson(HttpServletRequest req) throws IOException {
        byte[] bytes = req.getInputStream().readNBytes(1024 * 1024);
        if (bytes.length == 0) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GraphException(400, "invalidRequest", "The request body is not valid JSON.");
        }
    }

    static int intParam(HttpServletRequest req, String name, int fallback) {
        try {
            return Optional.ofNullable(req.getParameter(name)).map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new GraphException(400, "invalidRequest", "Invalid value for " + name + ".");
        }
    }

    /** https://host[:port]/ as the client called it, so links work under any name that reaches the emulator. */
    static String base(HttpServletRequest req) {
        int port = req.getServerPort();
        return "https://" + req.getServerName() + (port == 443 ? "" : ":" + port) + "/";
    }

    /**
     * Where pre-authenticated links (downloads, upload sessions, copy monitors) point: another name of this emulator
     * than the one the client called, as Graph hands these out on the tenant's SharePoint or a files host rather
     * than graph.microsoft.com. A client that sends its token only to the Graph host is then tested as it will run.
     */
    static String filesBase(HttpServletRequest req, java.util.List<String> names) {
        int port = req.getServerPort();
        String other = names.stream().filter(n -> !n.equalsIgnoreCase(req.getServerName())).findFirst()
                .orElse(req.getServerName());
        return "https://" + (other.contains(":") ? "[" + other + "]" : other) + (port == 443 ? "" : ":" + port) + "/";
    }

    static GraphException notAllowed() {
        return new GraphException(405, "invalidRequest", "The HTTP method is not allowed on this resource.");
    }
}
