package io.fleetcpu.api;

import java.util.Set;

/** Roles on every endpoint with reads open (the default). */
class EndpointRolesApiTest extends EndpointRoles {

    @Override
    Set<Caller> readers() {
        return ANYONE;
    }
}
