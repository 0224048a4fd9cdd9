package io.fleetcpu.policy;

/** One {@code <feature policy=… name=…/>} line of a baseline. */
public record CpuFeaturePolicy(String name, FeaturePolicy policy) {
}
