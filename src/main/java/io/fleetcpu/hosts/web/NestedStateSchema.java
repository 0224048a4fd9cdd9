package io.fleetcpu.hosts.web;

import io.fleetcpu.policy.NestedState;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;

/**
 * The API contract calls the kvm module's nested state a string, as it always has: it travels as its word
 * ({@link NestedState#wireName()}, Jackson's {@code @JsonValue}) in hosts' kernel facts and in recommendations'
 * nested fixes, and springdoc would otherwise describe the Java enum. Here, in the first feature whose answers carry
 * it, so that {@code system} stands on no feature.
 */
@Configuration(proxyBeanMethods = false)
class NestedStateSchema {

    static {
        SpringDocUtils.getConfig().replaceWithClass(NestedState.class, String.class);
    }
}
