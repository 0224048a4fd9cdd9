/**
 * Flyway migrations written in Java, where SQL alone cannot do the work: {@code V7__host_kinds} gives every host
 * registered before kinds existed its kind of CPU (computed by the registration code itself), {@code V13} keeps per
 * kind which models the hypervisor marks deprecated. They may use {@code hosts} and {@code libvirtxml} to re-read
 * what is stored; the SQL migrations are in {@code src/main/resources/db/migration}.
 */
@NullMarked
package db.migration;

import org.jspecify.annotations.NullMarked;
