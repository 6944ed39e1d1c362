package io.docbridge.host.signin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A PKCE pair (RFC 7636, S256): the verifier stays with the pending sign-in, the challenge goes to /authorize.
 *
 * @param verifier  43 characters of base64url randomness
 * @param challenge base64url(SHA-256(verifier))
 */
public record Pkce(String verifier, String challenge) {
    private static final SecureRandom random = new SecureRandom();

    public static Pkce create() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "Pkce[challenge=" + challenge + "]"; // the verifier is a secret until it is redeemed
    }
}
