package io.fleetcpu.system.internal;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may do what. Requests send {@code Authorization: Bearer <token>}; the token's role decides (README.md,
 * "Security", has the table of roles and endpoints).
 *
 * @param tokens operator tokens (the name older setups use); when no operator token is configured at all, the
 *        token kept in {@code tokenFile} is the operator's
 * @param tokenFile where fleetcpu keeps the operator token it made for itself at first start
 * @param operator more operator tokens, and files of them
 * @param agent agent tokens, and files of them (one per host, or one shared by all agents)
 * @param viewer viewer tokens, and files of them
 * @param readsNeedCredential when true, GET and HEAD need a viewer or operator credential (health and the OpenAPI
 *        document stay open)
 */
@ConfigurationProperties("fleetcpu.security")
public record SecurityProperties(
        @DefaultValue List<String> tokens,
        @DefaultValue("./data/api-token") String tokenFile,
        @DefaultValue RoleTokens operator,
        @DefaultValue RoleTokens agent,
        @DefaultValue RoleTokens viewer,
        @DefaultValue("false") boolean readsNeedCredential) {

    /**
     * The tokens of one role.
     *
     * @param tokens the tokens themselves (comma-separated in one property)
     * @param tokenFiles files holding one token per line (blank lines and lines starting with # are skipped)
     */
    public record RoleTokens(
            @DefaultValue List<String> tokens, @DefaultValue List<String> tokenFiles) {}
}
