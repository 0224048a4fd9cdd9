package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.agent.AgentCommand;
import io.fleetcpu.agent.libvirt.LibvirtConnection;
import io.fleetcpu.agent.libvirt.LibvirtException;
import io.fleetcpu.boot.GuestBoot;
import io.fleetcpu.boot.QemuLaunch;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.testing.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The product's promise, proven on this machine: the agent registers it from the real libvirtd into a service
 * started here, and for every goal the recommended CPU is started as a real guest on {@code qemu:///system} (the
 * domain type its domain capabilities offer) and in QEMU with the {@code -cpu} value; an answer that is a 409 must
 * say which rule refused and what the operator can change. Skipped only where no libvirtd answers; CI requires it.
 */
class RecommendationsBootTest extends ApiTest {

    private static final String URI = System.getProperty("fleetcpu.libvirt.qemu.uri", "qemu:///system");

    @TempDir
    Path dir;

    @Test
    void everyRecommendationForThisMachineStarts() throws IOException {
        assumeLibvirtd();
        assertThat(registerThisMachine()).as("agent exit code").isZero();
        String hostId = get("/hosts?aggregate=boot-proof")
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asString();
        DomainCapabilities domcaps = DomainCapabilities.parse(
                get("/hosts/" + hostId + "/documents/domain-capabilities").body());
        String domainType = domcaps.domainType();
        // libvirtd starts KVM guests as libvirt-qemu; QEMU below runs as this test's user, who may lack /dev/kvm
        String accel = domainType.equals("kvm") ? QemuLaunch.accelerator() : "tcg";
        System.out.println("boot-proof: this machine's domain capabilities offer type " + domainType + " ("
                + domcaps.machine() + "), host-passthrough "
                + (domcaps.hostPassthroughSupported() ? "supported" : "not supported") + ", host-model "
                + domcaps.hostModel().model() + "; QEMU started here with accel " + accel);

        List<String> modes = new ArrayList<>();
        for (String goal : List.of("migration", "balanced", "performance")) {
            String mode = bootTheRecommendation(goal, Map.of("goal", goal), domainType, accel);
            if (mode != null) {
                modes.add(mode);
            }
        }
        assertThat(modes)
                .as("at least one goal gives this machine a CPU that runs")
                .isNotEmpty();
        if (!modes.contains("custom")) {
            // Some machines' hypervisors can run only obsolete named models (a KVM guest whose CPU lacks SSE3 runs only
            // pentium-era ones), so the migration goal refuses; the way out it names, a model pinned from the
            // hypervisor's own usable list, must start as a custom CPU.
            String model = domcaps.usableModelNames().stream()
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("this machine's hypervisor reports no usable named model"));
            String mode = bootTheRecommendation(
                    "migration, pinned " + model, Map.of("goal", "migration", "pinnedModel", model), domainType, accel);
            assertThat(mode).as("the pinned model %s", model).isEqualTo("custom");
        }
    }

    /**
     * Sets the policy of aggregate boot-proof and starts its recommended CPU as a libvirt guest of this domain type
     * and in QEMU: the CPU's mode, or null for a 409 that names the rule and what to change.
     */
    private @Nullable String bootTheRecommendation(
            String label, Map<String, String> policy, String domainType, String accel) {
        Answer set = put("/aggregates/boot-proof", Map.of("policy", policy));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        Answer answer = get("/aggregates/boot-proof/recommended-cpu");
        if (answer.status() == 409) {
            String detail = answer.json().get("detail").asString();
            System.out.println("boot-proof: goal " + label + ": 409 " + detail);
            assertThat(detail)
                    .as("a refusal names the rule and what to change")
                    .contains("pinnedModel")
                    .containsAnyOf("goal", "host-model", "host-passthrough");
            return null;
        }
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode cpu = answer.json();
        String libvirtXml =
                get("/aggregates/boot-proof/recommended-cpu?format=libvirt").body();
        String mode = cpu.get("mode").asString();
        // the agent sent this machine's capabilities: its machine types and address bits are known, so the guest is
        // started with the contract's machine type and, for a named or host model, its maxphysaddr
        JsonNode contract = cpu.get("migrationContract");
        String machineType = contract.get("machineType").asString();
        int bits = contract.get("physAddrBits").asInt();
        if (!mode.equals("host-passthrough")) {
            assertThat(libvirtXml).contains("<maxphysaddr mode='emulate' bits='" + bits + "'/>");
        }
        GuestBoot.Outcome boot = GuestBoot.boot(
                URI, domainType, libvirtXml, machineType, name -> assertTheAgentReportsTheGuest(name, machineType));
        System.out.println("boot-proof: goal " + label + ": " + mode
                + (cpu.hasNonNull("model") ? " " + cpu.get("model").asString() : "") + " " + cpu.get("features")
                + ", machine " + machineType + ", " + bits + " address bits -> " + boot);
        assertThat(boot.started())
                .as("goal %s: %s%n%s", label, boot, libvirtXml)
                .isTrue();
        if (cpu.hasNonNull("qemuCpu")) {
            String qemuCpu = cpu.get("qemuCpu").asString();
            // what an operator pastes: format=qemu's arguments, the contract's -machine and qemuCpu
            String pasted = get("/aggregates/boot-proof/recommended-cpu?format=qemu")
                    .body()
                    .strip();
            assertThat(pasted).isEqualTo("-machine " + machineType + " -cpu " + qemuCpu);
            QemuLaunch.Outcome qemu = QemuLaunch.startWith(List.of(), accel, List.of(pasted.split(" ")));
            System.out.println("boot-proof: goal " + label + ": " + pasted + " (accel " + accel + ") -> " + qemu);
            assertThat(qemu.started()).as("goal %s: %s", label, qemu).isTrue();
        }
        return mode;
    }

    /** Runs the agent on this machine's libvirtd into aggregate boot-proof; its exit code. */
    private int registerThisMachine() {
        Path token;
        try {
            token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return AgentCommand.run(
                "--server",
                uri("").toString(),
                "--aggregate",
                "boot-proof",
                "--token-file",
                token.toString(),
                "--libvirt-uri",
                URI,
                "--deadline",
                "60s");
    }

    /**
     * The agent, run again while the guest runs, reports it with its host: the aggregate's inventory lists it as
     * running the recommended CPU, with the machine type it was defined with.
     */
    private void assertTheAgentReportsTheGuest(String domainName, String machineType) {
        assertThat(registerThisMachine()).as("agent exit code").isZero();
        Answer answer = get("/aggregates/boot-proof/guests", "Authorization", "Bearer " + VIEWER_TOKEN);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode inventory = answer.json();
        JsonNode guest = null;
        for (JsonNode listed : inventory.get("guests")) {
            if (listed.get("name").asString().equals(domainName)) {
                guest = listed;
            }
        }
        assertThat(guest).as("%s in %s", domainName, inventory).isNotNull();
        assertThat(guest.get("running").asBoolean()).isTrue();
        assertThat(guest.get("onRecommendation").asBoolean())
                .as("defined with format=libvirt's <cpu>: %s", inventory)
                .isTrue();
        JsonNode configuration = null;
        for (JsonNode c : inventory.get("configurations")) {
            if (c.get("id").asInt() == guest.get("configuration").asInt()) {
                configuration = c;
            }
        }
        assertThat(configuration).isNotNull();
        assertThat(configuration.get("machineType").asString()).isEqualTo(machineType);
        System.out.println("boot-proof: the agent reports " + domainName + " ("
                + configuration.get("cpu").asString()
                + ", " + machineType + ") on the recommended CPU; "
                + inventory.get("summary"));
    }

    /**
     * nova gives an instance any model of {@code cpu_models} (the first its flavor's traits allow) with the same
     * {@code cpu_model_extra_flags}: every model of the list, with those flags, must start, as a libvirt guest and in
     * QEMU. Three real CPUs (this machine's own hypervisor offers no named model that migration could use), started
     * as emulated ({@code qemu}) guests, where libvirt checks the CPU against what QEMU can give.
     */
    @Test
    void everyModelOfNovasListStartsWithTheExtraFlags() {
        assumeLibvirtd();
        registerThreeRealCpus("00000000-0000-4000-8000-00000000c00", "nova-", "nova-list");
        JsonNode answer = get("/aggregates/nova-list/recommended-cpu").json();
        assertThat(answer.path("mode").asString()).as(answer.toString()).isEqualTo("custom");
        String model = answer.get("model").asString();
        String libvirtXml = answer.get("libvirtXml").asString();
        String qemuCpu = answer.get("qemuCpu").asString();
        Matcher list = Pattern.compile("(?m)^cpu_models = (.+)$")
                .matcher(get("/aggregates/nova-list/recommended-cpu?format=nova-conf")
                        .body());
        assertThat(list.find()).as("nova-conf has cpu_models").isTrue();
        List<String> models = List.of(list.group(1).strip().split(",\\s*"));
        assertThat(models)
                .as("the recommended model is in nova's list")
                .contains(model)
                .hasSizeGreaterThan(1);
        assertThat(qemuCpu).startsWith(model + ",");
        for (String listed : models) {
            String xml = libvirtXml.replaceFirst(
                    "(<model[^>]*>)" + Pattern.quote(model) + "</model>",
                    "$1" + Matcher.quoteReplacement(listed) + "</model>");
            assertThat(xml).contains(">" + listed + "</model>");
            GuestBoot.Outcome boot = GuestBoot.boot(URI, "qemu", xml);
            QemuLaunch.Outcome qemu = QemuLaunch.start("tcg", listed + qemuCpu.substring(model.length()));
            System.out.println("boot-proof: nova cpu_models entry " + listed + " with the extra flags -> libvirt "
                    + boot + ", qemu " + qemu);
            assertThat(boot.started())
                    .as("%s as a libvirt guest: %s%n%s", listed, boot, xml)
                    .isTrue();
            assertThat(qemu.started()).as("%s in QEMU: %s", listed, qemu).isTrue();
        }
    }

    /**
     * Three real Xeons/Cores registered as the README once taught (physical CPU only): libvirt's plain baseline asks
     * for features no guest gets and for invtsc; the recommendation does not. Both are started here as emulated
     * ({@code qemu}) guests, where libvirt checks the CPU against what QEMU can give, and the verdicts are logged.
     */
    @Test
    void threeRealCpusBeforeAndAfter() {
        assumeLibvirtd();
        registerThreeRealCpus("00000000-0000-4000-8000-00000000b00", "node-", "three-cpus");
        String plain = get("/aggregates/three-cpus/baseline?format=libvirt", "Accept", "application/xml")
                .body();
        String recommended =
                get("/aggregates/three-cpus/recommended-cpu?format=libvirt").body();
        assertThat(recommended).doesNotContain("name='ds'", "name='acpi'", "name='invtsc'", "name='monitor'");
        assertThat(plain).contains("name='ds'", "name='invtsc'");
        GuestBoot.Outcome before = GuestBoot.boot(URI, "qemu", plain);
        GuestBoot.Outcome after = GuestBoot.boot(URI, "qemu", recommended);
        System.out.println("boot-proof: three real CPUs, libvirt's plain baseline (the answer before):\n" + plain
                + "-> " + before);
        System.out.println("boot-proof: three real CPUs, recommended-cpu:\n" + recommended + "-> " + after);
        assertThat(after.started())
                .as("the recommendation for the three CPUs starts under emulation: %s", after)
                .isTrue();
    }

    /**
     * libvirt 11.3's map lists the vmx-* capabilities in Skylake-Server, Cooperlake, … with {@code added='yes'}: not
     * part of the model for libvirt, and dropped by QEMU from any guest without vmx (target/i386/cpu.c
     * {@code feature_dependencies}). So a guest without nested virtualisation gets vmx disabled and nothing more, in
     * every rendering, and QEMU 7.2 here asks for none of them: with {@code enforce} under TCG it refuses the CPU for
     * the features TCG lacks (avx512*, …; no named server model passes {@code enforce} under TCG) and names no
     * vmx-* feature, while the same model with vmx on is refused for its vmx-* capabilities.
     */
    @Test
    void aGuestWithoutVmxUnderLibvirt113GetsVmxDisabledAloneAndQemuAsksForNoVmxCapability() {
        assumeQemu();
        post(
                "/hosts",
                reportedBy113(
                        "00000000-0000-4000-8000-00000000d001",
                        "skylake-113",
                        "libvirt-9.9.0/x86_64-cpuid-Xeon-Gold-6148-host.xml"));
        post(
                "/hosts",
                reportedBy113(
                        "00000000-0000-4000-8000-00000000d002",
                        "cooper-113",
                        "libvirt-9.9.0/x86_64-cpuid-Cooperlake-host.xml"));
        Answer answer = get("/aggregates/nested-off-113/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode cpu = answer.json();
        assertThat(cpu.path("catalog").path("name").asString()).isEqualTo("libvirt 11.3");
        String model = cpu.get("model").asString();
        assertThat(model).isEqualTo("Skylake-Server");
        List<String> features = new java.util.ArrayList<>();
        cpu.get("features")
                .forEach(f -> features.add(
                        f.get("policy").asString() + ":" + f.get("name").asString()));
        System.out.println("vmx under libvirt 11.3: " + model + " " + features + ", -cpu "
                + cpu.get("qemuCpu").asString());
        assertThat(features).contains("disable:vmx").noneMatch(f -> f.contains("vmx-"));
        for (String format : List.of("libvirt", "qemu", "nova-conf", "kubevirt", "kubevirt-cluster", "cpu-map")) {
            Answer rendered = get("/aggregates/nested-off-113/recommended-cpu?format=" + format);
            assertThat(rendered.status()).as(format).isEqualTo(200);
            assertThat(rendered.body()).as(format).doesNotContain("vmx-");
        }

        String qemuCpu = cpu.get("qemuCpu").asString();
        QemuLaunch.Outcome started = QemuLaunch.start("tcg", qemuCpu);
        System.out.println("vmx under libvirt 11.3: -cpu " + qemuCpu + " -> " + started);
        assertThat(started.started()).as("%s", started).isTrue();
        assertThat(started.output()).doesNotContain("vmx");

        QemuLaunch.Outcome enforced = QemuLaunch.start("tcg", qemuCpu + ",enforce");
        assertThat(enforced.started()).as("TCG lacks avx512f: %s", enforced).isFalse();
        assertThat(enforced.output()).contains("avx512f").doesNotContain("vmx");
        QemuLaunch.Outcome withVmx = QemuLaunch.start("tcg", model + ",+vmx,enforce");
        assertThat(withVmx.output())
                .as("the model's own vmx-* capabilities, asked for with vmx on")
                .contains("vmx-invvpid", "vmx-ept");
    }

    private static Map<String, Object> reportedBy113(String uuid, String hostname, String file) {
        Map<String, Object> body =
                new java.util.LinkedHashMap<>(registration(uuid, hostname, List.of("nested-off-113"), file));
        body.put("versions", Map.of("libvirt", "11.3.0", "qemu", "10.0.0"));
        return body;
    }

    private static void assumeQemu() {
        try {
            Process p = new ProcessBuilder("qemu-system-x86_64", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            assumeTrue(p.waitFor() == 0, "qemu-system-x86_64 --version failed");
        } catch (IOException e) {
            assumeTrue(false, "no qemu-system-x86_64: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            assumeTrue(false, "interrupted");
        }
    }

    private static void assumeLibvirtd() {
        try (LibvirtConnection probe = LibvirtConnection.open(URI)) {
            // reachable: from here on a failure is a failure
        } catch (LibvirtException | LinkageError e) {
            assumeTrue(false, "no libvirtd at " + URI + ": " + e.getMessage());
        }
    }

    /** Three real CPUs captured by libvirt's developers: a Haswell Xeon, a Broadwell Core and a Skylake Core. */
    private static final List<String> THREE_REAL_CPUS = List.of(
            "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml",
            "libvirt-9.9.0/x86_64-cpuid-Core-i7-5600U-host.xml",
            "libvirt-9.9.0/x86_64-cpuid-Core-i5-6600-host.xml");

    /** Registers {@link #THREE_REAL_CPUS} into one aggregate: hosts {@code hostPrefix0..2}, UUIDs {@code uuidPrefix0..2}. */
    private void registerThreeRealCpus(String uuidPrefix, String hostPrefix, String aggregate) {
        for (int i = 0; i < THREE_REAL_CPUS.size(); i++) {
            Answer registered = post(
                    "/hosts", registration(uuidPrefix + i, hostPrefix + i, List.of(aggregate), THREE_REAL_CPUS.get(i)));
            assertThat(registered.status()).as(registered.body()).isIn(200, 201);
        }
    }
}
