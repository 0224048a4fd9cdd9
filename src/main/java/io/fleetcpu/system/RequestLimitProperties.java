package io.fleetcpu.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** @param maxBodySize the largest request body accepted; larger ones get 413 */
@ConfigurationProperties("fleetcpu.request")
public record RequestLimitProperties(@DefaultValue("2MB") DataSize maxBodySize) {
}
