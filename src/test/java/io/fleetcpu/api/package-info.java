/**
 * Tests of the whole HTTP surface rather than of one feature: the roles on every endpoint the service maps
 * (EndpointRoles and its two readers' settings), input hygiene and security headers on every answer, the README's
 * tour across features, edges found by probing several features, and the fuzz test ({@code fuzz}) with its
 * findings. A test of one feature's endpoints belongs in that feature's test package instead.
 */
package io.fleetcpu.api;
