/**
 * The log line layout (one event per line, syslog priorities under journald) and the logging
 * setup (the level from the config or -v). May depend on config only.
 */
package io.vipkeeper.appliance.logging;
