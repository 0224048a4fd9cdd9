package io.fleetcpu.policy.baseline;

import java.util.Objects;

/** A host's CPU with the host's name, so refusals can say which host is the problem. */
public record NamedCpu(String host, CpuDescription cpu) {

    public NamedCpu {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(cpu, "cpu");
    }
}
