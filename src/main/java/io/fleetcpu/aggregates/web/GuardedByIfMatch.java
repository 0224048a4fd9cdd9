package io.fleetcpu.aggregates.web;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a change to an aggregate that an {@code If-Match} header makes conditional: the header (bound by the
 * handler's {@code @RequestHeader(name = "If-Match", required = false)} parameter) and the 412 answer when it names
 * another version than the stored one.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "the ETag of the aggregate as last read")
@ApiResponse(
        responseCode = "412",
        description = "If-Match named another version: the aggregate changed since it was " + "read")
@interface GuardedByIfMatch {}
