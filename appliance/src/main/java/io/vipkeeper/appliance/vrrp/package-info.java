/**
 * The appliance's side of VRRP: turns the config into routers of the VRRP library, binds sockets
 * per interface, adds and removes VIPs through the kernel, runs track and notify scripts and
 * plans reloads. May depend on config, script and the VRRP library; the library itself never
 * depends on the appliance.
 */
package io.vipkeeper.appliance.vrrp;
