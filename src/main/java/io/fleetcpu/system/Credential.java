package io.fleetcpu.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The credential a request was accepted with: its role, and the SHA-256 of its token (hex), which names the
 * token without keeping it (a host remembers the agent credential that registered it by this fingerprint).
 */
public record Credential(Role role, String fingerprint) {

    /** The request attribute under which the API token filter ({@code system.internal.ApiTokenFilter}) leaves the accepted credential. */
    public static final String ATTRIBUTE = "io.fleetcpu.system.Credential";

    public static Credential of(Role role, String token) {
        return new Credential(role, fingerprint(token));
    }

    public static String fingerprint(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public boolean isAgent() {
        return role == Role.AGENT;
    }
}
