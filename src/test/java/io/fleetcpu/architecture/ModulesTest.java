package io.fleetcpu.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.FleetcpuApplication;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The map of docs/architecture.md as Spring Modulith checks it: each top-level package under {@code io.fleetcpu} is a
 * module whose {@code package-info.java} names it for operators ({@code displayName}) and lists the modules it may use
 * ({@code allowedDependencies}); its subpackages are internal unless declared a named interface (the engine's parts
 * {@code policy :: baseline}, {@code guest}, {@code render}, {@code grouping}, {@code migration}, which a module must
 * list by name to use). {@link ApplicationModules#verify()} fails on a dependency a module does not declare, on a
 * type used from another module's internal package, and on a cycle between modules.
 */
class ModulesTest {

    static final ApplicationModules MODULES = ApplicationModules.of(FleetcpuApplication.class);

    @Test
    void theModulesAreTheTopLevelPackages() {
        assertThat(MODULES.stream().map(m -> m.getIdentifier().toString()))
                .containsExactlyInAnyOrder(
                        "agent",
                        "aggregates",
                        "catalog",
                        "configuration",
                        "cpumodels",
                        "dashboard",
                        "fleet",
                        "guests",
                        "history",
                        "hosts",
                        "libvirtxml",
                        "metrics",
                        "policy",
                        "system",
                        "web");
    }

    /** A new module is not left open: it says, in its package-info.java, who it is and what it may use. */
    @Test
    void everyModuleSaysWhatItMayUse() {
        MODULES.forEach(module -> {
            Optional<ApplicationModule> declared = module.getBasePackage().getAnnotation(ApplicationModule.class);
            assertThat(declared)
                    .as("@ApplicationModule in %s's package-info.java", module.getIdentifier())
                    .isPresent();
            assertThat(declared.get().displayName())
                    .as("%s's displayName", module.getIdentifier())
                    .isNotBlank();
            assertThat(List.of(declared.get().allowedDependencies()))
                    .as("%s's allowedDependencies", module.getIdentifier())
                    .doesNotContain(ApplicationModule.OPEN_TOKEN);
        });
    }

    @Test
    void everyModuleUsesOnlyWhatItDeclares() {
        MODULES.verify();
    }
}
