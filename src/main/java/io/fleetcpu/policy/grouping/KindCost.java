package io.fleetcpu.policy.grouping;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one kind of CPU (hosts whose CPUs expand to the same features) gives up by being in its domain.
 *
 * @param model           the model its hosts name (the first one, if they name several)
 * @param exampleHost     one of its hosts
 * @param hosts           how many hosts of the domain are of this kind
 * @param featuresGivenUp features every host of this kind has and the domain's guest CPU lacks
 */
public record KindCost(String model, @Nullable String exampleHost, int hosts, List<String> featuresGivenUp) {

    public KindCost {
        featuresGivenUp = List.copyOf(featuresGivenUp);
    }
}
