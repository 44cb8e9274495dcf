/**
 * The vipkeeper command line (picocli): run, check, reload, status, ipvs list, realserver,
 * version. The top of the dependency graph: it may use every other package of the appliance, and
 * nothing depends on it.
 */
package io.vipkeeper.appliance.cli;
