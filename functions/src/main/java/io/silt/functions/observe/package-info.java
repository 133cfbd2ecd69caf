/**
 * What the service tells about itself: store request counts, commit conflicts and consumer lag at
 * {@code /q/metrics}, store readiness and liveness at {@code /q/health}. The status page at {@code /} is a static
 * file ({@code META-INF/resources/index.html} and {@code silt.js}) polling the REST API.
 */
package io.silt.functions.observe;
