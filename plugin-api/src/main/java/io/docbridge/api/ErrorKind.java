package io.docbridge.api;

/**
 * What went wrong, in terms a host can explain to a person and act on. Every failure a plugin reports carries
 * exactly one kind; the kind, not the message, decides what the host shows (a Reconnect button, a retry time).
 * A host shows "title: message advice", so a plugin's message says what happened without repeating either.
 */
public enum ErrorKind {
    /** The sign-in behind a connection no longer works (expired, revoked, password changed): sign in again. */
    AUTHENTICATION_EXPIRED("Authentication failed", "Reconnect to sign in again."),
    /** The app has not been granted the permissions it asked for, by the user or by an administrator. */
    CONSENT_REQUIRED("Consent required", "Reconnect and accept the permissions, or ask an administrator to grant "
            + "consent for the organisation."),
    /** The account is signed in but may not do this (no edit rights on the library, say). */
    ACCESS_DENIED("Permission denied", "You need edit rights on the library (or access, to read it): ask its owner, "
            + "or use an account that has them."),
    /** The file, folder, library or site does not exist (any more). */
    NOT_FOUND("Not found", "It may have been moved or deleted."),
    /** Something with that name already exists, or a folder would move into itself. */
    CONFLICT("Conflict", "Choose another name, or refresh and try again."),
    /**
     * The item changed in the service since the version the caller read (an eTag that no longer matches, HTTP 412):
     * nothing was written, so another person's change is not lost.
     */
    CHANGED_SINCE_READ("Changed since you opened it", "Keep both, replace it anyway, or cancel and look at the "
            + "newer version first."),
    /** The name has a character or a form the service does not allow. */
    NAME_NOT_ALLOWED("Name not supported", "Rename it and try again."),
    /** The file is larger than the service or the configured limit allows. */
    TOO_LARGE("File too large", "Upload a smaller file, or ask an administrator to raise the limit."),
    /** The service asked us to slow down; {@link PluginException#retryAfter()} says when to try again. */
    THROTTLED("Throttled", "Wait a moment and try again; a scheduled sync waits and resumes by itself."),
    /** The service could not be reached or failed on its side (time-out, dropped connection, 5xx). */
    UNAVAILABLE("Unable to connect", "Try again in a few minutes."),
    /**
     * The service did not answer in time. Unlike {@link #UNAVAILABLE}, what was asked may still have happened (a
     * folder created, a file stored): look before doing it again.
     */
    TIMED_OUT("Timed out", "Refresh to see whether it happened before you try again."),
    /** A change-feed cursor is too old or no longer valid: read the whole drive again (resync). */
    CURSOR_EXPIRED("Sync position expired", "The next sync reads the whole drive again."),
    /** The request itself is wrong: a bad setting, a size that does not match the content. */
    INVALID_INPUT("Invalid input", "Correct the value and try again.");

    private final String title;
    private final String advice;

    ErrorKind(String title, String advice) {
        this.title = title;
        this.advice = advice;
    }

    /** A short title a page may show, such as "Access denied". */
    public String title() {
        return title;
    }

    /** One sentence on what the person can do about it. */
    public String advice() {
        return advice;
    }
}
