/**
 * What every HTTP test of a feature starts from: {@link io.fleetcpu.testing.ApiTest} (the whole service on a random
 * port with its embedded PostgreSQL, the fixture tokens, CPUs and registrations), {@link
 * io.fleetcpu.testing.ApiAssertions} (problem details, nothing written), {@link io.fleetcpu.testing.KvmKernel} (the
 * kernel facts of an Intel KVM host in a registration body) and {@link io.fleetcpu.testing.BrowserTest}
 * (the dashboard in headless Chromium). The tests themselves sit in the test package of the feature they test.
 */
package io.fleetcpu.testing;
