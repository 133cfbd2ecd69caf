/**
 * API keys for the REST routes: {@link io.silt.functions.auth.ApiKeys} (configuration and lookup),
 * {@link io.silt.functions.auth.AccessRules} (which permission a route needs) and
 * {@link io.silt.functions.auth.AuthFilter} (the check, before any resource runs).
 */
package io.silt.functions.auth;
