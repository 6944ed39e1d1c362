package io.docbridge.emulator.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.Json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Signs and checks the emulator's JWTs (RS256), and publishes the signing key as a JWKS. */
public final class TokenIssuer {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private final KeyPair keys;
    private final String keyId;
    private final Clock clock;

    /** The signing key in a form that can be saved: PKCS8 and X.509 encodings, base64. */
    public record SigningKey(String keyId, String privateKey, String publicKey) {
    }

    /** With a fresh signing key. */
    public TokenIssuer(Clock clock) {
        this(clock, generate(), UUID.randomUUID().toString().substring(0, 8));
    }

    /** With a saved signing key, so tokens issued before a restart still verify. */
    public TokenIssuer(Clock clock, SigningKey saved) {
        this(clock, load(saved), saved.keyId());
    }

    private TokenIssuer(Clock clock, KeyPair keys, String keyId) {
        this.clock = clock;
        this.keys = keys;
        this.keyId = keyId;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            return rsa.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair load(SigningKey saved) {
        try {
            java.security.KeyFactory rsa = java.security.KeyFactory.getInstance("RSA");
            return new KeyPair(rsa.generatePublic(new java.security.spec.X509EncodedKeySpec(
                    Base64.getDecoder().decode(saved.publicKey()))),
                    rsa.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                            Base64.getDecoder().decode(saved.privateKey()))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The saved signing key cannot be read", e);
        }
    }

    public SigningKey export() {
        return new SigningKey(keyId, Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()),
                Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
    }

    public String sign(ObjectNode claims) {
        try {
            ObjectNode header = Json.object().put("typ", "JWT").put("alg", "RS256").put("kid", keyId);
            String input = B64URL.encodeToString(Json.MAPPER.writeValueAsBytes(header)) + "."
                    + B64URL.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why a token was refused, in Graph's words. */
    public enum Problem { EMPTY, MALFORMED, EXPIRED }

    /** The claims of a token this issuer signed and that has not expired, or the problem with it. */
    public Result verify(String token) {
        if (token == null || token.isBlank()) {
            return new Result(null, Problem.EMPTY);
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return new Result(null, Problem.MALFORMED);
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(keys.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(B64URL_DECODER.decode(parts[2]))) {
                return new Result(null, Problem.MALFORMED);
            }
            JsonNode claims = Json.MAPPER.readTree(B64URL_DECODER.decode(parts[1]));
            long now = clock.instant().getEpochSecond();
            if (claims.path("exp").asLong() <= now || claims.path("nbf").asLong() > now + 300) {
                return new Result(claims, Problem.EXPIRED);
            }
            return new Result(claims, null);
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            return new Result(null, Problem.MALFORMED);
        }
    }

    /** @param problem null when the token is good */
    public record Result(JsonNode claims, Problem problem) {
        public Optional<JsonNode> valid() {
            return problem == null ? Optional.of(claims) : Optional.empty();
        }
    }

    public ObjectNode jwks() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        ObjectNode jwk = Json.object().put("kty", "RSA").put("use", "sig").put("kid", keyId).put("alg", "RS256")
                .put("n", B64URL.encodeToString(unsigned(key.getModulus())))
                .put("e", B64URL.encodeToString(unsigned(key.getPublicExponent())));
        ObjectNode doc = Json.object();
        doc.putArray("keys").add(jwk);
        return doc;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
