/**
 * Health checks of real servers (TCP, HTTP(S), DNS, UDP, script) with rise/fall counting; tells a
 * HealthListener when a real server goes up or down and offers a HealthView snapshot. Keys real
 * servers by the neutral BackendKey; may depend on config, dataplane and script, never on pool,
 * an engine, api or daemon.
 */
package io.vipkeeper.appliance.health;
