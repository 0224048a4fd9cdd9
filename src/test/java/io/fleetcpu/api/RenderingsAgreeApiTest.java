package io.fleetcpu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.aggregates.OutputFormat;
import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.CpuFixtures.Fixture;
import io.fleetcpu.policy.baseline.LibvirtDriver;
import io.fleetcpu.policy.render.PlacementTraits;
import io.fleetcpu.policy.render.QemuFeatureNames;
import io.fleetcpu.testing.ApiTest;
import io.fleetcpu.testing.KvmKernel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * One answer in every language: for generated aggregates of real CPUs (both vendors, with and without the hypervisor's
 * view, every goal, nested virtualisation off, allowed and required), every rendering of the recommended CPU is read
 * back and must describe the guest CPU of the JSON answer: libvirt's {@code <cpu>}, nova.conf (nova's rules: the model
 * among {@code cpu_models}, {@code -flag} disables), QEMU's {@code -cpu} (QEMU's names; a feature QEMU has no flag
 * for, or that libvirt drops before starting QEMU, is what a libvirt-started guest never gets either), KubeVirt's
 * {@code domain.cpu} and node selector (every selected label on every node of the aggregate, as format=kubevirt-labels
 * writes them), the Placement traits (exactly those of the guest CPU's features) and the cpu_map model (every
 * feature of the guest CPU). A format that cannot express the answer (host-model for QEMU and cpu_map) says so with
 * its 409; every other format answers. Seeded: the same aggregates every run.
 */
class RenderingsAgreeApiTest extends ApiTest {

    private static final long SEED = 20261207L;
    private static final int CASES = 96;
    private static final int FLEETS = 16;
    private static final CpuCatalog CATALOG = CpuCatalog.bundled(BundledMap.LIBVIRT_9_0);

    /**
     * The machine types, address bits and TSC a generated host's capabilities give, with the QEMU it reports: real
     * captures of hostdata (Debian 12's QEMU 7.2 under TCG and KVM, QEMU 11.1 under TCG), or none (all unknown). Drawn
     * from a Random of their own, so that the CPUs drawn are the ones drawn before hosts had these facts.
     */
    private static final List<Platform> PLATFORMS = List.of(
            Platform.of("capabilities-epyc-tcg-host.xml", "7.2.22"),
            Platform.of("capabilities-epyc-tcg-libvirt-12.8-host.xml", "11.1.3"),
            Platform.of("capabilities-broadwell-kvm-host.xml", "7.2.22"),
            new Platform("", "", null));

    /**
     * @param guests the capture's {@code <guest>} elements (its machine types)
     * @param hostCpu the capture's address bits and TSC counter, for the host's {@code <cpu>}
     */
    private record Platform(
            String guests, String hostCpu, @Nullable String qemu) {

        static Platform of(String capabilities, String qemu) {
            String xml = hostData(capabilities);
            Matcher facts = Pattern.compile("<counter name='tsc'[^>]*/>|<maxphysaddr [^>]*/>")
                    .matcher(xml);
            StringBuilder hostCpu = new StringBuilder();
            while (facts.find()) {
                hostCpu.append("\n  ").append(facts.group());
            }
            return new Platform(
                    xml.substring(xml.indexOf("<guest>"), xml.lastIndexOf("</guest>") + "</guest>".length()),
                    hostCpu.toString(),
                    qemu);
        }

        /** The registration with this capture's facts in its capabilities, and this QEMU. */
        void apply(Map<String, Object> body) {
            body.put(
                    "capabilitiesXml",
                    ((String) body.get("capabilitiesXml"))
                            .replaceFirst("<cpu>", "<cpu>" + hostCpu)
                            .replace("</capabilities>", guests + "\n</capabilities>"));
            if (qemu != null) {
                body.put("versions", Map.of("libvirt", "9.0.0", "qemu", qemu));
            }
        }
    }

    private static final Set<String> QEMU_DRIVER_DROPS =
            LibvirtDriver.QEMU.droppedFeatures(CATALOG.info().libvirtVersion());

    /** A host fixture and its hypervisor's view (the guest file libvirt's developers captured beside it), if any. */
    private record Cpu(Fixture host, Fixture view) {}

    @Test
    void everyFormatDescribesTheGuestCpuOfTheJsonAnswer() {
        Map<String, List<Cpu>> byVendor = cpusByVendor();
        Random random = new Random(SEED);
        Random platforms = new Random(SEED + 2);
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> figures = new TreeMap<>();
        for (int c = 0; c < CASES; c++) {
            String vendor = c % 2 == 0 ? "Intel" : "AMD";
            List<Cpu> pool = new ArrayList<>(byVendor.get(vendor));
            Collections.shuffle(pool, random);
            int hosts = 1 + random.nextInt(3);
            String goal = List.of("migration", "balanced", "performance").get(random.nextInt(3));
            String nested = List.of("off", "allowed", "required").get(random.nextInt(3));
            String aggregate = "c" + c;
            StringBuilder what = new StringBuilder(aggregate + " (" + vendor + ", goal " + goal + ", nested " + nested);
            boolean anyView = false;
            for (int h = 0; h < hosts; h++) {
                Cpu cpu = pool.get(h);
                boolean withView = random.nextBoolean();
                anyView |= withView;
                Map<String, Object> body = new LinkedHashMap<>(registration(
                        String.format("00000000-0000-4000-8000-%06d%06d", c, h),
                        aggregate + "-" + h,
                        List.of(aggregate),
                        cpu.host().file()));
                if (withView) {
                    body.put("hypervisorCpuXml", cpuData(cpu.view().file()));
                }
                PLATFORMS.get(platforms.nextInt(PLATFORMS.size())).apply(body);
                body.put("kernel", kernel(vendor, random.nextBoolean() ? "enabled" : "unknown"));
                Answer registered = post("/hosts", body);
                assertThat(registered.status()).as(registered.body()).isEqualTo(201);
                what.append(", ").append(cpu.host().file()).append(withView ? " with view" : "");
            }
            what.append(')');
            Answer policy = put(
                    "/aggregates/" + aggregate, Map.of("policy", Map.of("goal", goal, "nestedVirtualization", nested)));
            assertThat(policy.status()).as(policy.body()).isEqualTo(200);
            Answer answer = get("/aggregates/" + aggregate + "/recommended-cpu");
            if (answer.status() != 200) {
                figures.merge("refused (" + answer.status() + ")", 1, Integer::sum);
                continue;
            }
            JsonNode json = answer.json();
            figures.merge("answered, " + vendor, 1, Integer::sum);
            figures.merge("mode " + json.path("mode").asString(), 1, Integer::sum);
            figures.merge(anyView ? "with a hypervisor view" : "physical views only", 1, Integer::sum);
            compare(aggregate, what.toString(), json, mismatches, figures);
        }
        System.out.println("renderings agree: " + figures);
        assertThat(mismatches)
                .as("formats that describe another CPU than the JSON answer")
                .isEmpty();
        assertThat(figures)
                .containsKeys(
                        "answered, Intel",
                        "answered, AMD",
                        "mode custom",
                        "mode host-model",
                        "mode host-passthrough",
                        "with a hypervisor view",
                        "physical views only",
                        "machine type pc-q35-7.2",
                        "machine type pc-q35-11.1",
                        "no machine type promised",
                        "address bits 46",
                        "address bits 48",
                        "no address bits given");
    }

    /**
     * A grouping's domains say what recommended-cpu says: for generated fleets of real CPUs (both vendors mixed, with
     * and without the hypervisor's view, both strategies), each domain's CPU (mode, model, vendor, features with their
     * policies, level, libvirt {@code <cpu>}) is recommended-cpu's answer for an aggregate of exactly the domain's
     * hosts, a domain no CPU fits is one that aggregate is refused for, and format=openstack writes that aggregate's
     * nova.conf for the domain.
     */
    @Test
    void everyGroupingDomainIsTheRecommendationForItsHosts() {
        List<Cpu> pool = new ArrayList<>();
        cpusByVendor().values().forEach(pool::addAll);
        pool.sort(java.util.Comparator.comparing(cpu -> cpu.host().file()));
        Random random = new Random(SEED + 1);
        Random platforms = new Random(SEED + 3);
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> figures = new TreeMap<>();
        for (int f = 0; f < FLEETS; f++) {
            String fleet = "fleet" + f;
            Map<String, Map<String, Object>> registrations = new HashMap<>();
            int hosts = 2 + random.nextInt(7);
            for (int h = 0; h < hosts; h++) {
                Cpu cpu = pool.get(random.nextInt(pool.size()));
                Map<String, Object> body = new LinkedHashMap<>(registration(
                        String.format("00000000-0000-4000-9000-%06d%06d", f, h),
                        fleet + "-" + h,
                        List.of(fleet),
                        cpu.host().file()));
                if (random.nextBoolean()) {
                    body.put("hypervisorCpuXml", cpuData(cpu.view().file()));
                }
                PLATFORMS.get(platforms.nextInt(PLATFORMS.size())).apply(body);
                registrations.put(fleet + "-" + h, body);
                Answer registered = post("/hosts", body);
                assertThat(registered.status()).as(registered.body()).isEqualTo(201);
            }
            String strategy = random.nextBoolean() ? "max-features" : "min-domains";
            String groupings = "/groupings?aggregate=" + fleet + "&strategy=" + strategy;
            Answer grouping = get(groupings);
            assertThat(grouping.status()).as(grouping.body()).isEqualTo(200);
            String openstack = get(groupings + "&format=openstack").body();
            int n = 0;
            for (JsonNode domain : grouping.json().path("domains")) {
                n++;
                String what = fleet + " (" + strategy + ") domain " + n;
                String domainAggregate = fleet + "-domain-" + n;
                for (JsonNode member : domain.path("members")) {
                    for (JsonNode host :
                            get(member.path("hostsPath").asString()).json().path("items")) {
                        Map<String, Object> body = new LinkedHashMap<>(
                                registrations.get(host.path("hostname").asString()));
                        body.put("aggregates", List.of(fleet, domainAggregate));
                        Answer joined = post("/hosts", body);
                        assertThat(joined.status()).as(joined.body()).isEqualTo(200);
                    }
                }
                Answer answer = get("/aggregates/" + domainAggregate + "/recommended-cpu");
                figures.merge("domains", 1, Integer::sum);
                if (answer.status() == 409) {
                    figures.merge("domains no CPU fits", 1, Integer::sum);
                    check(mismatches, what, "refusal", true, domain.hasNonNull("refusal"));
                    check(mismatches, what, "model", true, domain.path("model").isNull());
                    continue;
                }
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                JsonNode json = answer.json();
                figures.merge("mode " + json.path("mode").asString(), 1, Integer::sum);
                figures.merge("domains of " + domain.path("members").size() + " kinds", 1, Integer::sum);
                figures.merge(
                        domain.path("migrationContract").path("machineType").isString()
                                ? "domains with a machine type"
                                : "domains without",
                        1,
                        Integer::sum);
                for (String field :
                        List.of("mode", "model", "vendor", "features", "level", "libvirtXml", "migrationContract")) {
                    check(mismatches, what, field, json.path(field), domain.path(field));
                }
                String novaConf = get("/aggregates/" + domainAggregate + "/recommended-cpu?format=nova-conf")
                        .body();
                String written =
                        novaConf.lines().map(line -> "#   " + line + "\n").reduce("", String::concat);
                String section = openstack.substring(openstack.indexOf("# domain " + n + ": "));
                check(
                        mismatches,
                        what,
                        "format=openstack nova.conf",
                        true,
                        section.startsWith(section.substring(0, section.indexOf("\n") + 1)
                                + "# nova.conf on these hosts (format=nova-conf of an aggregate of exactly them):\n"
                                + written));
            }
        }
        System.out.println("groupings agree with recommended-cpu: " + figures);
        assertThat(mismatches)
                .as("grouping domains that say another CPU than recommended-cpu of their hosts")
                .isEmpty();
        assertThat(figures)
                .containsKeys("mode custom", "domains of 1 kinds", "domains with a machine type", "domains without");
        assertThat(figures.keySet()).anyMatch(k -> k.matches("domains of [2-9] kinds"));
    }

    private void compare(
            String aggregate, String what, JsonNode json, List<String> mismatches, Map<String, Integer> figures) {
        String mode = json.path("mode").asString();
        boolean custom = mode.equals("custom");
        String model = custom ? json.path("model").asString() : null;
        List<CpuFeature> features = new ArrayList<>();
        json.path("features")
                .forEach(f -> features.add(new CpuFeature(
                        f.path("name").asString(),
                        FeaturePolicy.fromLibvirtName(f.path("policy").asString())
                                .orElseThrow())));
        String path = "/aggregates/" + aggregate + "/recommended-cpu?format=";

        // the contract's address bits, which libvirt and QEMU say too (not for host-passthrough: the host's own)
        JsonNode contractBits = json.path("migrationContract").path("physAddrBits");
        Integer bits = contractBits.isInt() && !mode.equals("host-passthrough") ? contractBits.asInt() : null;

        // libvirt's <cpu>
        String libvirtXml = get(path + "libvirt").body();
        CpuDefinition libvirt = CpuDefinition.parse(libvirtXml);
        Matcher maxPhysAddr =
                Pattern.compile("<maxphysaddr mode='emulate' bits='(\\d+)'/>").matcher(libvirtXml);
        check(
                mismatches,
                what,
                "libvirt maxphysaddr",
                bits,
                maxPhysAddr.find() ? Integer.valueOf(maxPhysAddr.group(1)) : null);
        check(mismatches, what, "libvirt mode", mode, libvirt.mode());
        check(mismatches, what, "libvirt model", model, libvirt.model());
        check(mismatches, what, "libvirt features", features, libvirt.features());
        count(figures, "libvirt");

        // nova.conf
        String nova = get(path + "nova-conf").body();
        check(mismatches, what, "nova cpu_mode", mode, setting(nova, "cpu_mode"));
        if (custom) {
            assertListed(mismatches, what, model, list(setting(nova, "cpu_models")));
        }
        List<CpuFeature> flags = new ArrayList<>();
        for (String flag : list(setting(nova, "cpu_model_extra_flags"))) {
            flags.add(
                    flag.startsWith("-")
                            ? new CpuFeature(flag.substring(1), FeaturePolicy.DISABLE)
                            : new CpuFeature(flag, FeaturePolicy.REQUIRE));
        }
        check(mismatches, what, "nova cpu_model_extra_flags", features, flags);
        JsonNode contracted = json.path("migrationContract").path("machineType");
        String machineType = contracted.isString() ? contracted.asString() : null;
        check(
                mismatches,
                what,
                "nova hw_machine_type",
                machineType == null ? "" : "x86_64=" + machineType,
                setting(nova, "hw_machine_type"));
        count(figures, "nova-conf");
        figures.merge(
                machineType == null ? "no machine type promised" : "machine type " + machineType, 1, Integer::sum);
        figures.merge(bits == null ? "no address bits given" : "address bits " + bits, 1, Integer::sum);

        // QEMU's -machine and -cpu
        Answer qemu = get(path + "qemu");
        if (mode.equals("host-model")) {
            check(mismatches, what, "qemu for host-model", 409, qemu.status());
        } else {
            List<String> arguments = List.of(qemu.body().strip().split(" "));
            int cpuAt = arguments.indexOf("-cpu");
            check(
                    mismatches,
                    what,
                    "qemu -machine",
                    machineType == null ? List.of() : List.of("-machine", machineType),
                    arguments.subList(0, Math.max(cpuAt, 0)));
            String[] parts = arguments.get(cpuAt + 1).split(",");
            check(mismatches, what, "qemu model", custom ? model : "host", parts[0]);
            Map<String, String> libvirtByQemu = new HashMap<>();
            CATALOG.features()
                    .forEach(f -> QemuFeatureNames.qemuName(f.name()).ifPresent(q -> libvirtByQemu.put(q, f.name())));
            List<CpuFeature> read = new ArrayList<>();
            Integer physBits = null;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].startsWith("phys-bits=")) {
                    physBits = Integer.valueOf(parts[i].substring("phys-bits=".length()));
                    continue;
                }
                read.add(new CpuFeature(
                        libvirtByQemu.getOrDefault(parts[i].substring(1), "?" + parts[i]),
                        parts[i].charAt(0) == '-' ? FeaturePolicy.DISABLE : FeaturePolicy.REQUIRE));
            }
            List<CpuFeature> expected = features.stream()
                    .filter(f -> !QEMU_DRIVER_DROPS.contains(f.name()))
                    .filter(f -> QemuFeatureNames.qemuName(f.name()).isPresent() || f.policy() == FeaturePolicy.REQUIRE)
                    .toList();
            check(mismatches, what, "qemu features", expected, read);
            check(mismatches, what, "qemu phys-bits", bits, physBits);
            check(
                    mismatches,
                    what,
                    "the JSON's qemuCpu",
                    arguments.get(cpuAt + 1),
                    json.path("qemuCpu").asString());
        }
        count(figures, "qemu");

        // KubeVirt: the VM's CPU, and its node selector on every node's labels
        Map<String, Object> vm = new Yaml().load(get(path + "kubevirt").body());
        Map<String, Object> spec = map(vm.get("spec"));
        Map<String, Object> cpu = map(map(spec.get("domain")).get("cpu"));
        Object machine = map(spec.get("domain")).get("machine");
        check(
                mismatches,
                what,
                "kubevirt machine type",
                machineType,
                machine == null ? null : map(machine).get("type"));
        check(mismatches, what, "kubevirt model", custom ? model : mode, cpu.get("model"));
        List<CpuFeature> kubevirtFeatures = new ArrayList<>();
        for (Object f : cpu.get("features") == null ? List.of() : (List<?>) cpu.get("features")) {
            Map<String, Object> feature = map(f);
            kubevirtFeatures.add(new CpuFeature(
                    (String) feature.get("name"),
                    FeaturePolicy.fromLibvirtName((String) feature.get("policy"))
                            .orElseThrow()));
        }
        check(mismatches, what, "kubevirt features", features, kubevirtFeatures);
        Set<String> selector = spec.get("nodeSelector") == null
                ? Set.of()
                : map(spec.get("nodeSelector")).keySet();
        Map<String, Object> labels =
                new Yaml().load(get(path + "kubevirt-labels").body());
        for (Object k : (List<?>) labels.get("kinds")) {
            Map<String, Object> kind = map(k);
            Map<String, Object> own = kind.get("labels") == null ? Map.of() : map(kind.get("labels"));
            boolean labelsFeatures = own.keySet().stream().anyMatch(l -> l.startsWith("cpu-feature."));
            for (String label : selector) {
                if (label.startsWith("cpu-feature.") && !labelsFeatures) {
                    continue; // a node registered without its hypervisor's view: fleetcpu cannot say its labels
                }
                if (label.startsWith("cpu-model.")
                        && own.keySet().stream().noneMatch(l -> l.startsWith("cpu-model."))) {
                    continue; // nor its model labels without its domain capabilities
                }
                if (!"true".equals(own.get(label))) {
                    mismatches.add(what + ": kubevirt selects " + label + ", which node kind " + kind.get("name")
                            + " does not have");
                }
            }
        }
        count(figures, "kubevirt and kubevirt-labels");

        // Placement: the traits of the guest CPU's features, and never a disabled one's
        List<String> traits = get(path + "placement")
                .body()
                .lines()
                .takeWhile(l -> !l.isEmpty())
                .filter(l -> !l.startsWith("#"))
                .toList();
        for (CpuFeature f : features) {
            for (String trait : PlacementTraits.of(List.of(f.name()))) {
                boolean listed = traits.contains(trait);
                if (listed != (f.policy() == FeaturePolicy.REQUIRE)) {
                    mismatches.add(what + ": placement " + (listed ? "lists " : "lacks ") + trait + ", but the CPU "
                            + f.policy().libvirtName() + "s " + f.name());
                }
            }
        }
        if (custom) {
            check(mismatches, what, "placement traits", PlacementTraits.of(guestFeatures(model, features)), traits);
        }
        count(figures, "placement");

        // cpu_map: every feature of the guest CPU
        Answer cpuMap = get(path + "cpu-map");
        if (custom) {
            Set<String> written = new TreeSet<>();
            Matcher m = Pattern.compile("<feature name='([^']+)'/>").matcher(cpuMap.body());
            while (m.find()) {
                written.add(m.group(1));
            }
            check(mismatches, what, "cpu-map features", new TreeSet<>(guestFeatures(model, features)), written);
        } else {
            check(mismatches, what, "cpu-map for " + mode, 409, cpuMap.status());
        }
        count(figures, "cpu-map");

        // The answer says which formats cannot say it; exactly those answer 409, with its words.
        Map<String, String> notExpressible = new TreeMap<>();
        json.path("notExpressible")
                .properties()
                .forEach(e -> notExpressible.put(e.getKey(), e.getValue().asString()));
        Map<String, String> refused = new TreeMap<>();
        for (OutputFormat format : OutputFormat.values()) {
            if (format == OutputFormat.JSON) {
                continue;
            }
            Answer rendered = get(path + format.wireName());
            if (rendered.status() != 200) {
                String detail = rendered.json().path("detail").asString();
                refused.put(
                        format.wireName(),
                        notExpressible.getOrDefault(format.wireName(), "?").isEmpty()
                                        || !detail.contains(notExpressible.getOrDefault(format.wireName(), "?"))
                                ? rendered.status() + ": " + detail
                                : notExpressible.get(format.wireName()));
            }
        }
        check(mismatches, what, "formats refused, as notExpressible says", notExpressible, refused);
        figures.merge("not expressible " + notExpressible.keySet(), 1, Integer::sum);
    }

    /** Every feature of a custom guest CPU: its model's, plus the required, minus the disabled ones. */
    private static List<String> guestFeatures(String model, List<CpuFeature> features) {
        FeatureSet set = CATALOG.expand(
                CATALOG.model(model).orElseThrow().features(),
                features.stream()
                        .filter(f -> f.policy() == FeaturePolicy.REQUIRE)
                        .map(CpuFeature::name)
                        .toList(),
                features.stream()
                        .filter(f -> f.policy() == FeaturePolicy.DISABLE)
                        .map(CpuFeature::name)
                        .toList(),
                name -> {
                    throw new AssertionError("the answer names a feature its catalog does not know: " + name);
                });
        return CATALOG.featureNames(set);
    }

    private static void check(List<String> mismatches, String what, String part, Object expected, Object actual) {
        if (!java.util.Objects.equals(expected, actual)) {
            mismatches.add(what + ": " + part + " is " + actual + ", the JSON answer says " + expected);
        }
    }

    private static void assertListed(List<String> mismatches, String what, String model, List<String> models) {
        if (!models.contains(model)) {
            mismatches.add(what + ": nova's cpu_models " + models + " lacks " + model);
        }
    }

    private static void count(Map<String, Integer> figures, String format) {
        figures.merge("format " + format, 1, Integer::sum);
    }

    private static String setting(String ini, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " = (.*)$").matcher(ini);
        return m.find() ? m.group(1).strip() : "";
    }

    private static List<String> list(String value) {
        return value.isEmpty() ? List.of() : List.of(value.split(",\\s*"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    private static Map<String, Object> kernel(String vendor, String nested) {
        return vendor.equals("Intel")
                ? KvmKernel.intel(nested)
                : Map.of(
                        "release",
                        KvmKernel.RELEASE,
                        "kvmModule",
                        "kvm_amd",
                        "nested",
                        nested,
                        "virtualizationFlag",
                        "svm");
    }

    /** The real CPUs libvirt 9.0 reads that have a hypervisor's view beside them, by vendor. */
    private static Map<String, List<Cpu>> cpusByVendor() {
        Map<String, Fixture> byFile = new HashMap<>();
        CpuFixtures.all().forEach(f -> byFile.put(f.file(), f));
        Map<String, List<Cpu>> byVendor = new HashMap<>();
        for (Fixture f : CpuFixtures.accepted()) {
            Fixture view = byFile.get(f.file().replace("-host.xml", "-guest.xml"));
            if (f.kind().equals("host")
                    && view != null
                    && view.libvirtAccepts()
                    && Set.of("Intel", "AMD").contains(f.vendor())) {
                byVendor.computeIfAbsent(f.vendor(), v -> new ArrayList<>()).add(new Cpu(f, view));
            }
        }
        return byVendor;
    }
}
