package io.fleetcpu.aggregates;

import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.render.KubevirtNodeLabels;
import io.fleetcpu.policy.render.PlacementTraits;
import io.fleetcpu.system.ConflictException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** The recommended CPU in each consumer's form: one dispatch over {@link OutputFormat}. */
@Component
public class AnswerRenderings {

    private final Engines engines;

    AnswerRenderings(Engines engines) {
        this.engines = engines;
    }

    /** The recommended CPU in one consumer's form. */
    public String render(RecommendationService.Answer answer, OutputFormat format, @Nullable String modelName) {
        try {
            return switch (format) {
                case JSON -> throw new IllegalArgumentException("JSON is the answer itself");
                case LIBVIRT -> answer.view().libvirtXml();
                case NOVA_CONF -> answer.view().novaConf();
                case PLACEMENT ->
                    PlacementTraits.render(
                            answer.view().aggregate(),
                            answer.nova(),
                            answer.cpu(),
                            engines.engine(answer.catalog())
                                    .renderer()
                                    .guestFeatures(answer.cpu(), answer.nova().sharedFeatures()));
                case QEMU -> engines.engine(answer.catalog()).renderer().qemuCpuArgument(answer.cpu()) + "\n";
                case KUBEVIRT -> answer.view().kubevirt();
                case KUBEVIRT_LABELS -> answer.kubevirtLabels();
                case KUBEVIRT_CLUSTER -> KubevirtNodeLabels.clusterYaml(answer.cpu());
                case CPU_MAP ->
                    engines.engine(answer.catalog())
                            .renderer()
                            .cpuMapModel(
                                    answer.cpu(),
                                    modelName != null
                                            ? modelName
                                            : answer.cpu().model() + "-"
                                                    + answer.view().aggregate());
            };
        } catch (IllegalArgumentException e) {
            String mode = answer.cpu().mode().libvirtName();
            throw new ConflictException(
                    "Not expressible in this format",
                    "the recommendation for aggregate '"
                            + answer.view().aggregate() + "' (" + mode + ") cannot be written as " + format.wireName()
                            + ": "
                            + e.getMessage()
                            + (answer.cpu().mode() == GuestCpu.Mode.CUSTOM
                                    ? ""
                                    : "; use format=libvirt, " + "nova-conf or kubevirt, which keep " + mode
                                            + " for libvirt to expand on each host"),
                    List.of());
        }
    }
}
