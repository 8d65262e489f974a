"""Create the media bucket on the configured S3 endpoint (CI, local S3 servers, first deploy).

Reads the same AWS_* variables as the app. With --wait N it retries for N seconds while the
endpoint is still starting. Sets a bucket policy that lets anyone read the public media
folders (Wagtail images, renditions: ``cms.core.media_access.S3_PUBLIC_PREFIXES``, under
AWS_LOCATION), so published media URLs work without signatures; everything else (uploaded
originals, documents) stays private. Run it again after an upgrade: it replaces the policy.
With --private no policy is set at all.
"""

import argparse
import json
import os
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from cms.core.media_access import S3_PUBLIC_PREFIXES


def build_public_read_policy(bucket: str, location: str = "") -> dict:
    """Anyone may GET objects under the public prefixes, nothing else."""
    base = f"{location.strip('/')}/" if location.strip("/") else ""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicMediaFolders",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [
                    f"arn:aws:s3:::{bucket}/{base}{prefix}*" for prefix in S3_PUBLIC_PREFIXES
                ],
            }
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for the endpoint")
    parser.add_argument("--private", action="store_true", help="no public-read policy")
    args = parser.parse_args()

    bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
    client = boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME") or None,
        config=Config(
            s3={"addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE", "path")},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )
    deadline = time.monotonic() + args.wait
    while True:
        try:
            existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
            break
        except (BotoCoreError, ClientError) as exc:
            if time.monotonic() > deadline:
                sys.exit(f"S3 endpoint not reachable: {exc}")
            time.sleep(0.5)
    if bucket not in existing:
        region = os.environ.get("AWS_S3_REGION_NAME")
        kwargs = {"Bucket": bucket}
        if region and region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(**kwargs)
    if args.private:
        client.delete_bucket_policy(Bucket=bucket)  # succeeds when there is none, too
    else:
        policy = build_public_read_policy(bucket, os.environ.get("AWS_LOCATION", ""))
        client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    print(f"bucket {bucket} ready at {client.meta.endpoint_url}")


if __name__ == "__main__":
    main()
