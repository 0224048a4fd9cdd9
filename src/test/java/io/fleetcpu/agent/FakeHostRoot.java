package io.fleetcpu.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A folder laid out like / on a KVM host: the few files under /proc and /sys the agent reads. */
final class FakeHostRoot {

    static final String INTEL_FLAGS = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
            + "clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc "
            + "pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt "
            + "aes xsave avx f16c rdrand lahf_lm abm fsgsbase bmi1 avx2 smep bmi2 erms invpcid";
    static final String AMD_FLAGS = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
            + "clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good "
            + "nopl cpuid pni pclmulqdq monitor ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c "
            + "rdrand lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch";
    static final String GUEST_FLAGS = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat "
            + "clflush mmx fxsr sse sse2 ss syscall nx lm constant_tsc rep_good nopl hypervisor";

    private final Path root;

    FakeHostRoot(Path root) {
        this.root = root;
        write("proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
        write("proc/sys/kernel/hostname", "compute-17\n");
    }

    Path path() {
        return root;
    }

    FakeHostRoot cpuFlags(String flags) {
        // the vendor and model of real CPUs with these flags (the agent reads only the flags today)
        boolean amd = flags.equals(AMD_FLAGS);
        String vendor = amd ? "AuthenticAMD" : "GenuineIntel";
        String model = amd ? "AMD EPYC 7502 32-Core Processor" : "Intel(R) Xeon(R) CPU E5-2650 v3 @ 2.30GHz";
        StringBuilder cpuinfo = new StringBuilder();
        for (int cpu = 0; cpu < 2; cpu++) {
            cpuinfo.append("processor\t: ")
                    .append(cpu)
                    .append('\n')
                    .append("vendor_id\t: ")
                    .append(vendor)
                    .append('\n')
                    .append("model name\t: ")
                    .append(model)
                    .append('\n')
                    .append("flags\t\t: ")
                    .append(flags)
                    .append('\n')
                    .append("bugs\t\t: spectre_v1 spectre_v2\n\n");
        }
        return write("proc/cpuinfo", cpuinfo.toString());
    }

    FakeHostRoot kvmModule(String module, String nested) {
        return write("sys/module/" + module + "/parameters/nested", nested + "\n");
    }

    FakeHostRoot write(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory where a file should be: reading it fails even as root, which ignores file modes. */
    FakeHostRoot unreadable(String relative) {
        try {
            Path file = root.resolve(relative);
            Files.deleteIfExists(file);
            Files.createDirectories(file);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
