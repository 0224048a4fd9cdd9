package io.fleetcpu.aggregates;

import io.fleetcpu.aggregates.internal.Engines;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.render.CpuConfigRenderer;
import io.fleetcpu.policy.render.KubevirtNodeLabels;
import io.fleetcpu.policy.render.PlacementTraits;
import io.fleetcpu.policy.render.Rendering;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidParameterException;
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

    /**
     * The recommended CPU in one consumer's form. A format that cannot say this CPU answers 409 with why (the words
     * the JSON answer's {@code notExpressible} has); a name for a new cpu_map model that is not one answers 400.
     */
    public String render(RecommendationService.Answer answer, OutputFormat format, @Nullable String modelName) {
        CpuConfigRenderer renderer = engines.engine(answer.catalog()).renderer();
        Rendering rendering = switch (format) {
            case JSON -> throw new IllegalArgumentException("JSON is the answer itself");
            case LIBVIRT -> new Rendering.Written(answer.view().libvirtXml());
            case NOVA_CONF -> written(answer.view().novaConf(), answer, format);
            case PLACEMENT ->
                new Rendering.Written(PlacementTraits.render(
                        answer.view().aggregate(),
                        answer.nova(),
                        answer.cpu(),
                        renderer.guestFeatures(answer.cpu(), answer.nova().sharedFeatures())));
            case QEMU -> {
                Rendering cpu = written(answer.view().qemuCpu(), answer, format);
                yield cpu instanceof Rendering.Written w
                        ? new Rendering.Written(CpuConfigRenderer.qemuArguments(
                                        answer.view().migrationContract().machineType(), w.text())
                                + "\n")
                        : cpu;
            }
            case KUBEVIRT -> new Rendering.Written(answer.view().kubevirt());
            case KUBEVIRT_LABELS -> new Rendering.Written(answer.kubevirtLabels());
            case KUBEVIRT_CLUSTER -> new Rendering.Written(KubevirtNodeLabels.clusterYaml(answer.cpu()));
            case CPU_MAP -> {
                String name = modelName != null
                        ? modelName
                        : answer.cpu().model() + "-" + answer.view().aggregate();
                if (CpuConfigRenderer.whyNoCpuMapModel(answer.cpu()).isEmpty()) {
                    renderer.newModelNameProblem(name).ifPresent(problem -> {
                        throw new InvalidParameterException(
                                "modelName",
                                problem + (modelName == null ? " (the name made of model and aggregate)" : ""));
                    });
                }
                yield renderer.cpuMapModel(answer.cpu(), name);
            }
        };
        if (rendering instanceof Rendering.NotExpressible not) {
            String mode = answer.cpu().mode().libvirtName();
            throw new ConflictException(
                    "Not expressible in this format",
                    "the recommendation for aggregate '"
                            + answer.view().aggregate() + "' (" + mode + ") cannot be written as " + format.wireName()
                            + ": "
                            + not.reason()
                            + (answer.cpu().mode() == GuestCpu.Mode.CUSTOM
                                    ? ""
                                    : "; use format=libvirt, " + "nova-conf or kubevirt, which keep " + mode
                                            + " for libvirt to expand on each host"),
                    List.of());
        }
        return rendering.text();
    }

    /** The form the answer holds, or why the format cannot say it (as the answer's notExpressible has it). */
    private static Rendering written(@Nullable String text, RecommendationService.Answer answer, OutputFormat format) {
        return text != null
                ? new Rendering.Written(text)
                : new Rendering.NotExpressible(
                        answer.view().notExpressible().getOrDefault(format.wireName(), "no " + format.wireName()));
    }
}
