/**
 * The vipkeeper appliance: a keepalived-style daemon, its command line, config, health checks,
 * data plane and status API, built on the VRRP library io.vipkeeper.vrrp. This root package holds
 * only what every part shares and that depends on nothing: the version and ConfigName, the
 * spelling of an enum constant in the config file. See appliance/DESIGN.md for the packages, the
 * data flow and the threads.
 */
package io.vipkeeper.appliance;
