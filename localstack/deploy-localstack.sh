#!/usr/bin/env bash
# Deploys the CDK app (infra/) to LocalStack, started with:
#   docker-compose -f localstack/docker-compose.yml up -d localstack
# Builds functions/target/function.zip if missing, bootstraps the CDK environment in LocalStack, and deploys the
# stack Silt-local over the bucket the init hook created (s3://silt), with a Lambda function URL in front of the http
# handler (LocalStack's free edition has no API Gateway HTTP API). Extra arguments go to `cdk deploy`.
# Environment: SILT_AUTH_MODE (off by default here; keys or iam as on AWS), SILT_BUCKET (silt),
# AWS_DEFAULT_REGION (us-east-1), LOCALSTACK_HOSTNAME / EDGE_PORT (localhost / 4566, read by cdklocal).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
region=${AWS_DEFAULT_REGION:-us-east-1}
account=000000000000

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION="$region" AWS_REGION="$region"
export CDK_DEFAULT_ACCOUNT="$account" CDK_DEFAULT_REGION="$region"

if [ ! -f "$root/functions/target/function.zip" ]; then
    echo "building functions/target/function.zip"
    (cd "$root" && ./mvnw -q -B -pl functions -am package -Dmaven.test.skip=true)
fi

cdklocal=(npx --yes --package aws-cdk@2.1148.1 --package aws-cdk-local@3.0.4 cdklocal)
cd "$root/infra"
"${cdklocal[@]}" bootstrap "aws://$account/$region"
"${cdklocal[@]}" deploy --require-approval never \
    -c stage=local \
    -c bucketName="${SILT_BUCKET:-silt}" -c existingBucket=true \
    -c api=url \
    -c authMode="${SILT_AUTH_MODE:-off}" \
    --outputs-file "$root/infra/target/localstack-outputs.json" \
    "$@"
echo "outputs (ApiUrl, StoreUri): $root/infra/target/localstack-outputs.json"
