package io.fleetcpu.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import org.springframework.data.repository.Repository;
import org.springframework.modulith.ApplicationModule;
import org.springframework.modulith.NamedInterface;
import org.springframework.web.bind.annotation.RestController;

/**
 * The layout docs/architecture.md promises ("Rules the build checks" there says what each rule below says), checked
 * on the compiled main classes: the engine and the readers of libvirt's formats are plain Java and use no feature,
 * libvirt itself is only touched by the agent, controllers only translate HTTP, and features depend on each other in
 * one direction.
 */
@AnalyzeClasses(packages = "io.fleetcpu", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] PURE_PACKAGES = {
        "io.fleetcpu.policy..", "io.fleetcpu.catalog..", "io.fleetcpu.libvirtxml.."
    };

    /**
     * The module map's annotations in package-info.java ({@code @ApplicationModule}, {@code @NamedInterface}): read
     * by ModulesTest from the class files, ignored at run time, so they need no Spring context.
     */
    private static final DescribedPredicate<JavaClass> THE_MODULE_MAP =
            belongToAnyOf(ApplicationModule.class, NamedInterface.class);

    @ArchTest
    static final ArchRule pureCodeUsesNoSpring = noClasses()
            .that()
            .resideInAnyPackage(PURE_PACKAGES)
            .should()
            .dependOnClassesThat(resideInAPackage("org.springframework..").and(not(THE_MODULE_MAP)))
            .because("policy, catalog and libvirtxml are plain Java, testable and reusable without a Spring context");

    @ArchTest
    static final ArchRule pureCodeUsesNoPersistence = noClasses()
            .that()
            .resideInAnyPackage(PURE_PACKAGES)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta.persistence..", "org.hibernate..")
            .because("storage belongs to the feature packages, not to the engine");

    @ArchTest
    static final ArchRule pureCodeUsesNoLibvirt = noClasses()
            .that()
            .resideInAnyPackage(PURE_PACKAGES)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.libvirt..", "com.sun.jna..")
            .because("the engine works on documents, so it runs (and is tested) where libvirt is not installed");

    @ArchTest
    static final ArchRule pureCodeUsesNoServlet = noClasses()
            .that()
            .resideInAnyPackage(PURE_PACKAGES)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta.servlet..", "javax.servlet..")
            .because("the engine knows nothing of HTTP");

    /** The features and the two packages they all stand on; the engine and {@code system}/{@code web} use none. */
    private static final String[] FEATURE_PACKAGES = {
        "io.fleetcpu.agent..",
        "io.fleetcpu.aggregates..",
        "io.fleetcpu.configuration..",
        "io.fleetcpu.cpumodels..",
        "io.fleetcpu.dashboard..",
        "io.fleetcpu.fleet..",
        "io.fleetcpu.history..",
        "io.fleetcpu.hosts..",
        "io.fleetcpu.metrics.."
    };

    @ArchTest
    static final ArchRule pureCodeUsesNoFeature = noClasses()
            .that()
            .resideInAnyPackage(PURE_PACKAGES)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FEATURE_PACKAGES)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("io.fleetcpu.system..", "io.fleetcpu.web..")
            .because("the engine uses no feature package: policy, catalog and libvirtxml use only each other "
                    + "(and libraries)");

    @ArchTest
    static final ArchRule sharedGroundUsesNoFeature = noClasses()
            .that()
            .resideInAnyPackage("io.fleetcpu.system..", "io.fleetcpu.web..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FEATURE_PACKAGES)
            .because("system and web are what every feature stands on, so they use no feature package");

    @ArchTest
    static final ArchRule libvirtOnlyInTheAgent = noClasses()
            .that()
            .resideOutsideOfPackage("io.fleetcpu.agent..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.libvirt..", "com.sun.jna..")
            .because("only the agent, on a compute node, talks to libvirt; the service reads what agents send");

    @ArchTest
    static final ArchRule controllersDoNotUseRepositories = noClasses()
            .that()
            .areAnnotatedWith(RestController.class)
            .should()
            .dependOnClassesThat()
            .areAssignableTo(Repository.class)
            .because(
                    "a controller only translates HTTP to service calls: no business rule in a controller, no repository");

    @ArchTest
    static final ArchRule dashboardReadsThroughTheServices = noClasses()
            .that()
            .resideInAPackage("io.fleetcpu.dashboard..")
            .should()
            .dependOnClassesThat()
            .areAssignableTo(Repository.class)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.jdbc..", "jakarta.persistence..", "org.hibernate..", "java.sql..")
            .because("the dashboard shows what the API's services answer: no SQL of its own");

    @ArchTest
    static final ArchRule noVagueNames = noClasses()
            .should()
            .haveSimpleNameEndingWith("Util")
            .orShould()
            .haveSimpleNameEndingWith("Utils")
            .orShould()
            .haveSimpleNameEndingWith("Helper")
            .orShould()
            .haveSimpleNameEndingWith("Manager")
            .because("names say what a thing is in the operators' words");

    @ArchTest
    static final ArchRule hostsDoNotKnowAggregates = noClasses()
            .that()
            .resideInAPackage("io.fleetcpu.hosts..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.fleetcpu.aggregates..")
            .because("aggregates are built on hosts; hosts ask aggregates what they need through ports the "
                    + "aggregates implement (NamedAggregates, AdmissionCheck), so the dependency goes one way");

    @ArchTest
    static final ArchRule hostStorageStaysInternal = noClasses()
            .that()
            .resideOutsideOfPackage("io.fleetcpu.hosts.internal..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.fleetcpu.hosts.internal..")
            .because("everything else, hosts' own controllers too, takes hosts through the interfaces of the hosts "
                    + "package (HostRegistration, HostRecords, HostMemberships, FleetCensus) and the values they give, "
                    + "so that the JPA entities, their storage and their lazy parts stay in hosts.internal");

    /**
     * docs/architecture.md, "The parts": dependencies point one way, so no two packages use each other, directly or
     * through others, at any depth (a subpackage is a slice of its own: {@code policy} and {@code policy.render} too).
     */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.fleetcpu.(**)")
            .should()
            .beFreeOfCycles()
            .because("dependencies point one way (docs/architecture.md): each package can be read, tested and "
                    + "changed knowing only the packages below it");

    /**
     * NullAway checks only null-marked code (pom.xml: OnlyNullMarked), and {@code @NullMarked} on a package does not
     * reach its subpackages: a package without it would go unchecked, silently.
     */
    @ArchTest
    static void everyPackageIsNullMarked(JavaClasses classes) {
        List<String> unmarked = classes.stream()
                .map(JavaClass::getPackage)
                .distinct()
                .filter(pkg -> !pkg.isAnnotatedWith(NullMarked.class))
                .map(JavaPackage::getName)
                .sorted()
                .toList();
        assertThat(unmarked)
                .as("packages whose package-info.java is not @NullMarked")
                .isEmpty();
    }

    /** Guards the rules above against passing vacuously, e.g. after a package is renamed. */
    @ArchTest
    static void theRulesSeeEveryPackageTheyTalkAbout(JavaClasses classes) {
        for (String pkg : new String[] {
            "policy",
            "catalog",
            "libvirtxml",
            "hosts",
            "hosts.internal",
            "aggregates",
            "agent",
            "dashboard",
            "system",
            "web"
        }) {
            assertThat(classes.that(resideInAPackage("io.fleetcpu." + pkg + "..")))
                    .as("classes in io.fleetcpu.%s", pkg)
                    .isNotEmpty();
        }
        assertThat(classes.that(annotatedWith(RestController.class)))
                .as("controllers")
                .isNotEmpty();
    }
}
