package io.fleetcpu.system;

/** What a request needs of its credential; {@link AccessRules} says which request needs what. */
public enum Access {

    /** Nothing: anyone may (health, the OpenAPI document, and reads unless they are closed). */
    OPEN,

    /** Reading: GET and HEAD when reads need a credential, and the read-only POSTs. */
    READ,

    /** Registering a host (POST /hosts). */
    REGISTER,

    /** Every other change: deleting hosts, aggregates and their policies, memberships. */
    OPERATE
}
