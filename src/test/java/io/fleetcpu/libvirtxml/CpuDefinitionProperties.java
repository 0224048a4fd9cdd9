package io.fleetcpu.libvirtxml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CpuDefinitionProperties {

    /** Feature names and models with the characters XML must escape, plus libvirt's own ('.', '-', '_'). */
    private static Arbitrary<String> names() {
        return Arbitraries.strings()
                .withChars("abcxyz019.-_&<>'\" ")
                .ofMinLength(1)
                .ofMaxLength(12)
                .filter(s -> !s.isBlank() && s.strip().equals(s));
    }

    @Provide
    Arbitrary<CpuDefinition> guestCpus() {
        Arbitrary<List<CpuFeature>> features = names().set().ofMaxSize(20).flatMap(nameSet -> {
            List<String> ordered = new ArrayList<>(nameSet);
            return Arbitraries.of(FeaturePolicy.class)
                    .injectNull(0.2)
                    .list()
                    .ofSize(ordered.size())
                    .map(policies -> {
                        List<CpuFeature> list = new ArrayList<>();
                        for (int i = 0; i < ordered.size(); i++) {
                            list.add(new CpuFeature(ordered.get(i), policies.get(i)));
                        }
                        return list;
                    });
        });
        return Combinators.combine(names().injectNull(0.1), names().injectNull(0.2), features)
                .as((model, vendor, fs) ->
                        new CpuDefinition("x86_64", "custom", "exact", model, "forbid", vendor, null, null, null, fs));
    }

    @Property
    void hostShapeSaysExactlyTheRequiredFeatures(@ForAll("guestCpus") CpuDefinition cpu) {
        CpuDefinition host = CpuDefinition.parse(cpu.toHostCpuXml());

        assertThat(host).isEqualTo(CpuDefinition.host("x86_64", cpu.model(), cpu.vendor(), cpu.requiredFeatureNames()));
    }

    @Property
    void requiredAndDisabledNeverOverlapAndLeaveOutOnlyOptional(@ForAll("guestCpus") CpuDefinition cpu) {
        Set<String> required = Set.copyOf(cpu.requiredFeatureNames());
        Set<String> disabled = Set.copyOf(cpu.disabledFeatureNames());

        Set<String> both = new java.util.HashSet<>(required);
        both.retainAll(disabled);
        assertThat(both).isEmpty();
        long optional = cpu.features().stream()
                .filter(f -> f.policy() == FeaturePolicy.OPTIONAL)
                .count();
        assertThat(required.size() + disabled.size() + optional)
                .isEqualTo(cpu.features().size());
    }
}
