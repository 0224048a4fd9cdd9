/**
 * The web dashboard at {@code /}: HTML pages (templates in
 * {@code src/main/resources/templates/dashboard}) over the same services the JSON API answers from, reading only.
 * May use the features' services ({@code aggregates}, {@code fleet}, {@code history}, {@code hosts}), the engine's
 * answer types ({@code policy}) and {@code system}'s errors; no SQL or repository of its own (ArchitectureTest).
 */
@NullMarked
@ApplicationModule(
        displayName = "Web dashboard",
        allowedDependencies = {"aggregates", "fleet", "guests", "history", "hosts", "policy", "system"})
package io.fleetcpu.dashboard;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
