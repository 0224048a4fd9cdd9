/** The hosts' HTTP side: registration, the hosts, their documents and the inventory. No other module may use it. */
@NullMarked
package io.fleetcpu.hosts.web;

import org.jspecify.annotations.NullMarked;
