package io.fleetcpu.system;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may change state. Agents and operators send {@code Authorization: Bearer <token>} on every
 * POST, PUT and DELETE; reads are open.
 *
 * @param tokens accepted tokens; when empty, the token kept in {@code tokenFile} is used
 * @param tokenFile where fleetcpu keeps the token it made for itself at first start
 */
@ConfigurationProperties("fleetcpu.security")
public record SecurityProperties(
        @DefaultValue List<String> tokens,
        @DefaultValue("./data/api-token") String tokenFile) {
}
