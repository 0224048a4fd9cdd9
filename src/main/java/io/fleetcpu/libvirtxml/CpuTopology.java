package io.fleetcpu.libvirtxml;

import org.jspecify.annotations.Nullable;

/** {@code <topology sockets='2' dies='1' cores='12' threads='2'/>}; {@code dies} and {@code clusters} may be absent. */
public record CpuTopology(
        int sockets, @Nullable Integer dies, @Nullable Integer clusters, int cores, int threads) {

    /** Logical CPUs this topology describes. */
    public long logicalCpus() {
        long n = (long) sockets * cores * threads;
        if (dies != null) {
            n *= dies;
        }
        if (clusters != null) {
            n *= clusters;
        }
        return n;
    }
}
