package io.fleetcpu.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxBodySize the largest request body accepted; larger ones get 413
 * @param bodyTimeout how long a client may take to send a whole request body; slower ones get 408. Bodies are
 *        read without holding a request thread, so slow clients cannot starve the others while they send.
 */
@ConfigurationProperties("fleetcpu.request")
public record RequestLimitProperties(@DefaultValue("2MB") DataSize maxBodySize,
        @DefaultValue("30s") Duration bodyTimeout) {
}
