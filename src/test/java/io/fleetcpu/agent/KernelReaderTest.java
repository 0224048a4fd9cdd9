package io.fleetcpu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.policy.NestedState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelReaderTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} nested={1} -> {2}")
    @CsvSource({
        "kvm_intel, Y, ENABLED",
        "kvm_intel, N, DISABLED",
        "kvm_intel, 1, ENABLED",
        "kvm_intel, 0, DISABLED",
        "kvm_amd,   1, ENABLED",
        "kvm_amd,   0, DISABLED",
        "kvm_amd,   Y, ENABLED",
        "kvm_amd,   N, DISABLED"
    })
    void readsTheLoadedKvmModuleAndItsNestedSetting(String module, String value, NestedState expected) {
        FakeHostRoot host = new FakeHostRoot(dir)
                .cpuFlags(module.equals("kvm_intel") ? FakeHostRoot.INTEL_FLAGS : FakeHostRoot.AMD_FLAGS)
                .kvmModule(module, value);

        KernelFacts facts = new KernelReader(host.path()).read(null);

        assertThat(facts.kvmModule()).isEqualTo(module);
        assertThat(facts.nested()).isEqualTo(expected);
        assertThat(facts.virtualizationFlag()).isEqualTo(module.equals("kvm_intel") ? "vmx" : "svm");
        assertThat(facts.release()).isEqualTo("6.1.0-18-amd64");
        assertThat(facts.hostname()).isEqualTo("compute-17");
    }

    @Test
    void intelHostWithNestedEnabled() {
        FakeHostRoot host =
                new FakeHostRoot(dir).cpuFlags(FakeHostRoot.INTEL_FLAGS).kvmModule("kvm_intel", "Y");

        assertThat(new KernelReader(host.path()).read(null))
                .isEqualTo(new KernelFacts("6.1.0-18-amd64", "compute-17", "kvm_intel", NestedState.ENABLED, "vmx"));
    }

    @Test
    void amdHostWithNestedDisabled() {
        FakeHostRoot host =
                new FakeHostRoot(dir).cpuFlags(FakeHostRoot.AMD_FLAGS).kvmModule("kvm_amd", "0");

        assertThat(new KernelReader(host.path()).read(null))
                .isEqualTo(new KernelFacts("6.1.0-18-amd64", "compute-17", "kvm_amd", NestedState.DISABLED, "svm"));
    }

    @Test
    void noKvmModuleLoadedMeansNestedIsUnknown() {
        FakeHostRoot host = new FakeHostRoot(dir).cpuFlags(FakeHostRoot.INTEL_FLAGS);

        KernelFacts facts = new KernelReader(host.path()).read(null);

        assertThat(facts.kvmModule()).isNull();
        assertThat(facts.nested()).isEqualTo(NestedState.UNKNOWN);
        assertThat(facts.virtualizationFlag()).isEqualTo("vmx");
    }

    @Test
    void moduleLoadedWithoutANestedParameterIsUnknown() {
        FakeHostRoot host =
                new FakeHostRoot(dir).cpuFlags(FakeHostRoot.INTEL_FLAGS).write("sys/module/kvm_intel/refcnt", "0\n");

        KernelFacts facts = new KernelReader(host.path()).read(null);

        assertThat(facts.kvmModule()).isEqualTo("kvm_intel");
        assertThat(facts.nested()).isEqualTo(NestedState.UNKNOWN);
    }

    @Test
    void cpuWithoutVmxOrSvmHasNoVirtualizationFlag() {
        FakeHostRoot host = new FakeHostRoot(dir).cpuFlags(FakeHostRoot.GUEST_FLAGS);

        KernelFacts facts = new KernelReader(host.path()).read(null);

        assertThat(facts.virtualizationFlag()).isNull();
        assertThat(facts.kvmModule()).isNull();
        assertThat(facts.nested()).isEqualTo(NestedState.UNKNOWN);
    }

    @Test
    void aFlagOnlyMatchesAsAWholeWord() {
        FakeHostRoot host = new FakeHostRoot(dir).cpuFlags(FakeHostRoot.GUEST_FLAGS + " vmx_ept svm_lock");

        assertThat(new KernelReader(host.path()).read(null).virtualizationFlag())
                .isNull();
    }

    @Test
    void theHostnameCanBeOverridden() {
        FakeHostRoot host = new FakeHostRoot(dir).cpuFlags(FakeHostRoot.INTEL_FLAGS);

        assertThat(new KernelReader(host.path()).read("compute-17.east.example").hostname())
                .isEqualTo("compute-17.east.example");
    }

    @Test
    void anUnreadableNestedParameterIsAClearError() {
        FakeHostRoot host = new FakeHostRoot(dir)
                .cpuFlags(FakeHostRoot.INTEL_FLAGS)
                .unreadable("sys/module/kvm_intel/parameters/nested");

        assertThatThrownBy(() -> new KernelReader(host.path()).read(null))
                .isInstanceOf(CollectionException.class)
                .hasMessageStartingWith("cannot read ")
                .hasMessageContaining("sys/module/kvm_intel/parameters/nested")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anUnreadableCpuinfoIsAClearError() {
        FakeHostRoot host = new FakeHostRoot(dir).unreadable("proc/cpuinfo");

        assertThatThrownBy(() -> new KernelReader(host.path()).read(null))
                .isInstanceOf(CollectionException.class)
                .hasMessageContaining("proc/cpuinfo");
    }

    @Test
    void aRootWithoutProcNamesTheMissingFile() {
        Path empty = dir.resolve("not-a-host");

        assertThatThrownBy(() -> new KernelReader(empty).read(null))
                .isInstanceOf(CollectionException.class)
                .hasMessage("cannot read " + empty.resolve("proc/sys/kernel/osrelease") + ": no such file");
    }
}
