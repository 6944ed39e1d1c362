package io.docbridge.emulator.identity;

import java.time.Duration;

/**
 * Knobs of the identity side.
 *
 * @param accessTokenLifetime     how long access tokens live (Microsoft: about an hour)
 * @param refreshTokenMaxInactive a refresh token unused this long expires (Microsoft: 90 days; AADSTS700082)
 * @param issuerBase              the id_token issuer prefix, ending in /, such as https://localhost:8443/
 * @param signInHint              HTML shown under the sign-in form (the demo accounts); empty for none
 */
public record IdentitySettings(Duration accessTokenLifetime, Duration refreshTokenMaxInactive, String issuerBase,
                               String signInHint) {
}
