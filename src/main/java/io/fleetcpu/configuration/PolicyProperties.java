package io.fleetcpu.configuration;

import io.fleetcpu.policy.PolicyRecommender;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param obsoleteModels CPU models never recommended unless an aggregate pins them: too old to be worth a
 *        guest's while, or unknown to upstream QEMU; {@link PolicyRecommender#OBSOLETE_MODELS} when not set
 */
@ConfigurationProperties("fleetcpu.policy")
public record PolicyProperties(List<String> obsoleteModels) {

    public PolicyProperties {
        // Spring binds null when the setting is left out.
        obsoleteModels = obsoleteModels == null ? PolicyRecommender.OBSOLETE_MODELS : obsoleteModels;
    }
}
