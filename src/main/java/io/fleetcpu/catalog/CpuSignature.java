package io.fleetcpu.catalog;

/**
 * A CPUID family/model pair a model is meant for; {@code stepping} is the cpu_map text (e.g. {@code 5-7}) or null.
 */
public record CpuSignature(int family, int model, String stepping) {
}
