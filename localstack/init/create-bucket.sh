#!/usr/bin/env bash
# LocalStack init hook (/etc/localstack/init/ready.d): creates the bucket Silt uses, s3://$SILT_BUCKET (silt).
set -euo pipefail
bucket=${SILT_BUCKET:-silt}
if awslocal s3api head-bucket --bucket "$bucket" 2>/dev/null; then
    echo "bucket $bucket exists"
else
    awslocal s3api create-bucket --bucket "$bucket"
    echo "created bucket $bucket"
fi
