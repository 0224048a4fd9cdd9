package io.fleetcpu.libvirtxml;

/** CPUID family, model and stepping of a host CPU ({@code <signature family='6' model='63' stepping='2'/>}). */
public record CpuSignature(int family, int model, Integer stepping) {

    public CpuSignature {
        if (family < 0 || model < 0 || (stepping != null && stepping < 0)) {
            throw new IllegalArgumentException("negative CPU signature: " + family + "/" + model + "/" + stepping);
        }
    }
}
