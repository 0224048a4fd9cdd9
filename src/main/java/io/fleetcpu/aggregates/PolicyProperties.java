package io.fleetcpu.aggregates;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param obsoleteModels CPU models never recommended unless an aggregate pins them: too old to be worth a
 *        guest's while, or unknown to upstream QEMU
 */
@ConfigurationProperties("fleetcpu.policy")
public record PolicyProperties(
        @DefaultValue({
            "486",
            "pentium",
            "pentium2",
            "pentium3",
            "pentiumpro",
            "coreduo",
            "n270",
            "qemu32",
            "kvm32",
            "cpu64-rhel5",
            "cpu64-rhel6"
        })
        List<String> obsoleteModels) {}
