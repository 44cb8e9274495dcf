/**
 * Runs notify, check and track programs safely: as a configured user, with a timeout, in their
 * own process group under a subreaper, coalescing queued notifications. May depend on config and
 * the VRRP library's Linux helpers.
 */
package io.vipkeeper.appliance.script;
