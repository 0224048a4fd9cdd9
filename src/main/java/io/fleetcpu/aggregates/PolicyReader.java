package io.fleetcpu.aggregates;

import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.policy.MitigationFeatures;
import io.fleetcpu.policy.guest.MicroarchitectureLevel;
import io.fleetcpu.policy.migration.MachineTypeFamily;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Reads a policy as an operator wrote it, or refuses it naming every wrong field. */
@Component
class PolicyReader {

    /**
     * A policy may name what any catalog hosts are read with knows (a versioned model of libvirt 11.3's map, say);
     * an aggregate whose members' libvirt does not know it is refused when its CPU is asked for.
     */
    private final Catalogs catalogs;

    PolicyReader(Catalogs catalogs) {
        this.catalogs = catalogs;
    }

    CpuPolicy read(@Nullable AggregatePolicy policy) {
        if (policy == null) {
            return CpuPolicy.DEFAULT;
        }
        List<FieldProblem> problems = new ArrayList<>();
        CpuPolicy.Goal goal =
                value(problems, "policy.goal", policy.goal(), CpuPolicy.Goal.class, CpuPolicy.DEFAULT.goal());
        CpuPolicy.Nested nested = value(
                problems,
                "policy.nestedVirtualization",
                policy.nestedVirtualization(),
                CpuPolicy.Nested.class,
                CpuPolicy.DEFAULT.nested());
        boolean strict = Boolean.TRUE.equals(policy.strict());
        CpuPolicy.MitigationMode mode = CpuPolicy.DEFAULT.mitigations();
        List<String> disable = List.of();
        if (policy.mitigations() != null) {
            mode = value(
                    problems,
                    "policy.mitigations.mode",
                    policy.mitigations().mode(),
                    CpuPolicy.MitigationMode.class,
                    CpuPolicy.DEFAULT.mitigations());
            disable = policy.mitigations().disable() == null
                    ? List.of()
                    : new ArrayList<>(new LinkedHashSet<>(policy.mitigations().disable()));
            checkMitigations(problems, mode, disable);
        }
        checkModel(problems, "policy.minimumModel", policy.minimumModel());
        checkModel(problems, "policy.pinnedModel", policy.pinnedModel());
        MicroarchitectureLevel minimumLevel = null;
        if (policy.minimumLevel() != null) {
            minimumLevel = MicroarchitectureLevel.named(policy.minimumLevel()).orElse(null);
            if (minimumLevel == null) {
                problems.add(new FieldProblem(
                        "policy.minimumLevel",
                        "'" + policy.minimumLevel()
                                + "' is not an x86-64 microarchitecture level; levels: "
                                + String.join(", ", MicroarchitectureLevel.operatorNames())));
            }
        }
        if (policy.machineType() != null) {
            MachineTypeFamily.whyNotVersioned(policy.machineType())
                    .ifPresent(why -> problems.add(new FieldProblem("policy.machineType", why)));
        }
        if (strict && nested != CpuPolicy.Nested.REQUIRED) {
            problems.add(new FieldProblem("policy.strict", "strict applies to nestedVirtualization 'required' only"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new CpuPolicy(
                goal,
                nested,
                strict,
                mode,
                disable,
                policy.minimumModel(),
                policy.pinnedModel(),
                minimumLevel,
                policy.machineType());
    }

    private void checkMitigations(List<FieldProblem> problems, CpuPolicy.MitigationMode mode, List<String> disable) {
        if (mode == CpuPolicy.MitigationMode.REQUIRE && !disable.isEmpty()) {
            problems.add(new FieldProblem(
                    "policy.mitigations.disable",
                    "only with mode 'disable'; with 'require' guests get every mitigation the hosts share"));
        }
        if (mode == CpuPolicy.MitigationMode.DISABLE && disable.isEmpty()) {
            problems.add(new FieldProblem(
                    "policy.mitigations.disable", "name the mitigation features to withhold, e.g. [\"spec-ctrl\"]"));
        }
        for (int i = 0; i < disable.size(); i++) {
            String feature = disable.get(i);
            if (feature == null
                    || catalogs.all().stream().allMatch(c -> c.feature(feature).isEmpty())) {
                problems.add(new FieldProblem(
                        "policy.mitigations.disable[" + i + "]",
                        "'" + feature + "' is not a CPU feature the catalogs (" + catalogs.names() + ") know"));
            } else if (!MitigationFeatures.isMitigation(feature)) {
                problems.add(new FieldProblem(
                        "policy.mitigations.disable[" + i + "]",
                        "'" + feature + "' is not a mitigation feature; mitigation features: "
                                + String.join(", ", MitigationFeatures.names())));
            }
        }
    }

    private void checkModel(List<FieldProblem> problems, String field, @Nullable String model) {
        if (model != null
                && catalogs.all().stream().allMatch(c -> c.model(model).isEmpty())) {
            problems.add(new FieldProblem(
                    field, "'" + model + "' is not a CPU model the catalogs (" + catalogs.names() + ") know"));
        }
    }

    private static <E extends Enum<E>> E value(
            List<FieldProblem> problems, String field, @Nullable String text, Class<E> type, E fallback) {
        if (text == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (CpuPolicy.wireName(e).equals(text)) {
                return e;
            }
        }
        problems.add(new FieldProblem(
                field,
                "'" + text + "' is not one of "
                        + Arrays.stream(type.getEnumConstants())
                                .map(CpuPolicy::wireName)
                                .toList()));
        return fallback;
    }
}
