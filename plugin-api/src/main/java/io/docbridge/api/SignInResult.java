package io.docbridge.api;

import java.net.URI;

/** How a sign-in the host ran ended (see {@link SignIns}), for the plugin to show what comes next. */
public sealed interface SignInResult {

    /** The id of the {@link Setup} the sign-in continues; empty when it is not known. */
    String setup();

    /**
     * The connection is signed in.
     *
     * @param again true when an existing connection signed in again (Reconnect), false for a new one
     */
    record SignedIn(String connectionId, SignInAccount account, String setup, boolean again) implements SignInResult {
    }

    /** The person declined the permissions; they may try again. */
    record Declined(String setup) implements SignInResult {
    }

    /** Only an administrator of the person's organisation may approve the app: send them {@code approvalUrl}. */
    record NeedsApproval(URI approvalUrl, String setup) implements SignInResult {
    }

    /** An administrator approved the app for the organisation; nobody is signed in yet. */
    record Approved(String setup) implements SignInResult {
    }

    /** Anything else, in words for the person. Nothing was kept. */
    record Failed(String message, String setup) implements SignInResult {
    }
}
