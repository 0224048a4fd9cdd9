package io.fleetcpu.system;

import io.fleetcpu.system.internal.AccessRules;

/** What a request needs of its credential; {@link AccessRules} says which request needs what. */
public enum Access {

    /** Nothing: anyone may (health, the OpenAPI document, and reads and questions unless reads are closed). */
    OPEN,

    /** Reading: GET and HEAD, and the read-only POSTs (what-if, migration checks), when reads need a credential. */
    READ,

    /** Registering a host (POST /hosts), and uploading its libvirt's cpu_map (PUT /cpu-maps/{digest}). */
    REGISTER,

    /** Every other change: deleting hosts, aggregates and their policies, memberships. */
    OPERATE
}
