/**
 * {@code vipkeeper import-keepalived}: reads a keepalived.conf the way keepalived 2.2-2.4 reads it
 * (includes, {@code @id} lines, {@code $VAR} definitions, comments, blocks) and maps what it says
 * onto an equivalent, commented vipkeeper config. Everything that cannot be carried over, and every
 * place where keepalived silently runs something other than what the file says, is reported as
 * {@code FILE:LINE: keyword: ...}. Depends on nothing but the JDK; the result is checked by the
 * ordinary config loader, never trusted.
 */
package io.vipkeeper.appliance.keepalived;
