/**
 * Pool policy and the shared reconcile loop: which real servers are in (health, inhibit, quorum,
 * sorry server), the desired table built from the config (DesiredServices), the TableReconciler
 * that plans changes and drains removed backends, drift repair, the SNAT decision and rules, and
 * DataPlaneManager, which runs all that on one thread against the engine. May depend on config,
 * health, dataplane, script and realserver; today also on the ipvs package for IpvsKernel and the
 * sync daemon, the one engine-specific step.
 */
package io.vipkeeper.appliance.pool;
