/**
 * Types the features' HTTP APIs share: a page of a listing ({@link io.fleetcpu.web.PageView}) and the syntax
 * of an aggregate's id ({@link io.fleetcpu.web.AggregateId}). Uses no other fleetcpu package.
 */
@NullMarked
@ApplicationModule(
        displayName = "Types the APIs share",
        allowedDependencies = {})
package io.fleetcpu.web;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
