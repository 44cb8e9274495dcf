/**
 * The bgp way of owning a VIP: the announce decision (daemon up, data plane programmed, quorum
 * held), and the tun device that hands the announced VIPs to the local routing daemon and vanishes
 * with the process, so a crash withdraws them.
 */
package io.vipkeeper.appliance.bgp;
