package io.fleetcpu.testing;

import java.util.Map;

/**
 * The kernel facts an agent reports for an Intel KVM host (kernel 6.1.0-18-amd64, module kvm_intel, flag vmx), as the
 * {@code kernel} object of a registration body: one place for every test that registers such a host.
 */
public final class KvmKernel {

    /** The kernel release the fixture hosts run. */
    public static final String RELEASE = "6.1.0-18-amd64";

    private KvmKernel() {}

    /** An Intel KVM host's kernel facts with this nested word ({@code enabled}, {@code disabled}, …). */
    public static Map<String, Object> intel(String nested) {
        return intel(RELEASE, nested);
    }

    /** The same with another kernel release. */
    public static Map<String, Object> intel(String release, String nested) {
        return Map.of("release", release, "kvmModule", "kvm_intel", "nested", nested, "virtualizationFlag", "vmx");
    }
}
