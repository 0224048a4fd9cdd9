package io.fleetcpu.catalog;

import org.jspecify.annotations.Nullable;

/**
 * The CPUs a cpu_map model is meant for ({@code <signature family='6' model='85' stepping='5-7'/>}): a CPUID family
 * and model and, when the map says, the steppings, as its text (a number or a range such as {@code 5-7}), else null
 * for every stepping. A host's own signature, with one stepping, is a {@link io.fleetcpu.libvirtxml.CpuSignature}.
 */
public record SignatureRange(
        int family, int model, @Nullable String stepping) {}
