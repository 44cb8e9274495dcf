/**
 * The seam between pool policy and the kernel: a neutral model of what forwards where (service
 * and backend identity, specs, scheduler, forwarding, desired and actual table, traffic counters,
 * table changes), the DataPlane interface every engine implements, the Capabilities an engine
 * declares and DataPlaneStatus for status and metrics. Policy is decided above it and kernel
 * numbers live below it, so it depends on nothing of the appliance but the root package (and the
 * JDK and Netty's address formatting).
 */
package io.vipkeeper.appliance.dataplane;
