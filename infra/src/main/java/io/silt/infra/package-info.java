/**
 * The AWS CDK app that provisions Silt: {@link io.silt.infra.SiltApp} (the entry point {@code cdk synth} runs),
 * {@link io.silt.infra.SiltStack} (bucket, Lambda functions, HTTP API, compaction schedule, IAM, log groups,
 * alarms), configured by {@link io.silt.infra.SiltSettings} from CDK context.
 */
package io.silt.infra;
