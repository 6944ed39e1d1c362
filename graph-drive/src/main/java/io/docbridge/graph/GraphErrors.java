package io.docbridge.graph;

import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where Microsoft's failures become {@link PluginException}s, in words a person can act on (the
 * Microsoft docs' wording where it applies). Library exceptions never leave graph-drive.
 */
final class GraphErrors {
    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");

    private GraphErrors() {
    }

    /** Maps anything thrown by msal4j, the Graph SDK or the network; {@code what} names the operation for messages. */
    static PluginException map(Throwable failure, String what) {
        Throwable e = unwrap(failure);
        if (e instanceof PluginException p) {
            return p;
        }
        if (e instanceof MsalInteractionRequiredException m) {
            return signInFailure(m.getMessage());
        }
        if (e instanceof MsalServiceException m) {
            String code = aadsts(m.getMessage()).orElse("");
            if (m.statusCode() == 401 || code.equals("7000215") || code.equals("7000218")) {
                return new PluginException(ErrorKind.INVALID_INPUT, "Microsoft rejected the app's client secret (AADSTS"
                        + code + "): it is wrong or has expired. Create a new client secret in the app registration "
                        + "and enter it in the settings.", e);
            }
            if (code.equals("700016")) {
                return new PluginException(ErrorKind.INVALID_INPUT, "The app registration was not found in the tenant "
                        + "(AADSTS700016). Check the client id and the tenant in the settings.", e);
            }
            if (code.equals("65001")) {
                return signInFailure(m.getMessage());
            }
            return new PluginException(ErrorKind.UNAVAILABLE, "Microsoft sign-in failed while " + what + ": "
                    + firstLine(m.getMessage()), e);
        }
        if (e instanceof MsalClientException m) {
            return new PluginException(ErrorKind.UNAVAILABLE, "Could not reach Microsoft sign-in while " + what + ": "
                    + firstLine(m.getMessage()), e);
        }
        if (e instanceof ODataError o) {
            String code = o.getError() == null ? "" : Optional.ofNullable(o.getError().getCode()).orElse("");
            String inner = o.getError() != null && o.getError().getInnerError() != null
                    ? String.valueOf(o.getError().getInnerError().getAdditionalData().getOrDefault("code", "")) : "";
            String message = o.getError() == null ? "" : Optional.ofNullable(o.getError().getMessage()).orElse("");
            String requestId = header(o.getResponseHeaders(), "client-request-id");
            if (!requestId.isEmpty()) {
                message = message + " [client-request-id " + requestId + "]"; // what Microsoft support asks for
            }
            return forStatus(o.getResponseStatusCode(), code, inner, message, retryAfter(o.getResponseHeaders()), what, e);
        }
        if (e instanceof ApiException a) {
            return forStatus(a.getResponseStatusCode(), "", "", firstLine(a.getMessage()),
                    retryAfter(a.getResponseHeaders()), what, e);
        }
        if (Retry.timedOut(e)) {
            return new PluginException(ErrorKind.TIMED_OUT, "Microsoft 365 did not answer in time while " + what + ".",
                    e);
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return new PluginException(ErrorKind.UNAVAILABLE, "The connection to Microsoft 365 failed while " + what
                    + " (" + firstLine(e.getMessage()) + ").", e);
        }
        return new PluginException(ErrorKind.UNAVAILABLE, "Unexpected failure while " + what + ": " + e, e);
    }

    /** Marks a 401 from Graph itself (not from sign-in): one forced token refresh may cure it. */
    static final class GraphUnauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GraphUnauthorized(Throwable cause) {
            super("Graph answered 401", cause);
        }
    }

    /** For an HTTP answer from Graph (or an upload URL). */
    static PluginException forStatus(int status, String code, String innerCode, String message, Duration retryAfter,
                                     String what, Throwable cause) {
        String detail = message.isBlank() ? code : message;
        return switch (status) {
            case 401 -> new PluginException(ErrorKind.AUTHENTICATION_EXPIRED, "Microsoft 365 did not accept the "
                    + "sign-in (" + detail + ").",
                    new GraphUnauthorized(cause));
            case 403 -> new PluginException(ErrorKind.ACCESS_DENIED, "Microsoft 365 refused " + what
                    + " (" + detail + ").", cause);
            // The kind's advice says it may have been moved or deleted; saying it here too repeated it on pages.
            case 404 -> new PluginException(ErrorKind.NOT_FOUND, "Not found while " + what + ".", cause);
            case 409 -> new PluginException(ErrorKind.CONFLICT, "Conflict while " + what + ": " + detail, cause);
            // If-Match no longer matches: someone changed the item since its eTag was read
            case 412 -> new PluginException(ErrorKind.CHANGED_SINCE_READ, "It changed in Microsoft 365 while "
                    + what + " (" + detail + ").", cause);
            case 410 -> new PluginException(ErrorKind.CURSOR_EXPIRED, "The sync position expired (" + code + ").", cause);
            case 413 -> new PluginException(ErrorKind.TOO_LARGE, "Microsoft 365 refused the file while " + what + " ("
                    + detail + ").", cause);
            case 507 -> new PluginException(ErrorKind.TOO_LARGE, "The library's storage is full, so Microsoft 365 "
                    + "refused the file while " + what + " (" + detail + ").", cause);
            case 429 -> new PluginException(ErrorKind.THROTTLED, "Microsoft 365 is throttling requests (" + detail
                    + ").", retryAfter, cause);
            case 400 -> innerCode.equals("nameContainsInvalidCharacters") || innerCode.equals("pathIsTooLong")
                    || innerCode.equals("invalidPath")
                    ? new PluginException(ErrorKind.NAME_NOT_ALLOWED, "Microsoft 365 refused the name: " + detail, cause)
                    : new PluginException(ErrorKind.INVALID_INPUT, "Microsoft 365 refused the request while " + what
                    + ": " + detail, cause);
            default -> status == 503 && retryAfter != null
                    ? new PluginException(ErrorKind.THROTTLED, "Microsoft 365 is busy (" + detail + ").", retryAfter, cause)
                    : new PluginException(ErrorKind.UNAVAILABLE, "Microsoft 365 answered " + status + " while " + what
                    + " (" + detail + ").", cause);
        };
    }

    /** What a failed silent sign-in means for a person, by its AADSTS code. */
    static PluginException signInFailure(String message) {
        String code = aadsts(message).orElse("");
        String why = switch (code) {
            case "700082" -> "the sign-in expired after 90 days without use";
            case "50173" -> "the sign-in was revoked, for example because the password changed";
            case "50076", "50079" -> "multi-factor authentication is now required";
            case "54005", "70008" -> "the sign-in grant expired";
            default -> "the sign-in is no longer valid";
        };
        if (code.equals("65001")) {
            return new PluginException(ErrorKind.CONSENT_REQUIRED, "The app no longer has permission to use "
                    + "this account (AADSTS65001).");
        }
        return new PluginException(ErrorKind.AUTHENTICATION_EXPIRED, Character.toUpperCase(why.charAt(0))
                + why.substring(1) + (code.isEmpty() ? "" : " (AADSTS" + code + ")") + ".");
    }

    static Optional<String> aadsts(String message) {
        Matcher m = AADSTS.matcher(message == null ? "" : message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String header(Map<String, ? extends java.util.Collection<String>> headers, String name) {
        if (headers == null) {
            return "";
        }
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().iterator().next()).findFirst().orElse("");
    }

    static Duration retryAfter(Map<String, ? extends java.util.Collection<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (var entry : headers.entrySet()) {
            if (entry.getKey().toLowerCase(Locale.ROOT).equals("retry-after") && !entry.getValue().isEmpty()) {
                return parseRetryAfter(entry.getValue().iterator().next());
            }
        }
        return null;
    }

    /** Whole or fractional seconds; an HTTP date is read as "a little while". */
    static Duration parseRetryAfter(String value) {
        try {
            return Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(5);
        }
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no details";
        }
        int newline = message.indexOf('\n');
        return (newline > 0 ? message.substring(0, newline) : message).trim();
    }
}
