"""Create, update or delete an SNS platform application (Terraform's notifications module).

    python -m deploy.push_apps create           from ECOBID_PUSH_APP_* and the credentials
    python -m deploy.push_apps delete <arn>

The credentials arrive in the environment (``ECOBID_PUSH_CREDENTIAL``, and for APNs
token authentication ``ECOBID_PUSH_PRINCIPAL``, the signing key id), read by Terraform
from SSM at apply time and never written to its state; this prints no credential.

Attributes per platform, as "Amazon SNS mobile push" documents them: APNs token
authentication takes the signing key as ``PlatformCredential``, its key id as
``PlatformPrincipal``, and ``ApplePlatformTeamID`` / ``ApplePlatformBundleID``; FCM (HTTP
v1) takes the service account's JSON as ``PlatformCredential`` and no principal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import boto3


def attributes(environ: Mapping[str, str]) -> dict[str, str]:
    made = {"PlatformCredential": environ["ECOBID_PUSH_CREDENTIAL"]}
    optional = {
        "PlatformPrincipal": "ECOBID_PUSH_PRINCIPAL",
        "ApplePlatformTeamID": "ECOBID_PUSH_APP_TEAM_ID",
        "ApplePlatformBundleID": "ECOBID_PUSH_APP_BUNDLE_ID",
    }
    made.update({name: environ[key] for name, key in optional.items() if environ.get(key)})
    return made


def _client(environ: Mapping[str, str]) -> Any:
    endpoint = environ.get("ECOBID_AWS_ENDPOINT_URL") or None
    return boto3.client("sns", region_name=environ.get("AWS_REGION"), endpoint_url=endpoint)


def _existing(sns: Any, suffix: str) -> str | None:
    return next(
        (
            str(app["PlatformApplicationArn"])
            for page in sns.get_paginator("list_platform_applications").paginate()
            for app in page["PlatformApplications"]
            if app["PlatformApplicationArn"].endswith(suffix)
        ),
        None,
    )


def create(environ: Mapping[str, str]) -> str:
    sns = _client(environ)
    wanted = attributes(environ)
    name, platform = environ["ECOBID_PUSH_APP_NAME"], environ["ECOBID_PUSH_APP_PLATFORM"]
    existing = _existing(sns, f":app/{platform}/{name}")
    if existing is not None:  # new credentials for the same application
        sns.set_platform_application_attributes(PlatformApplicationArn=existing, Attributes=wanted)
        return existing
    made = sns.create_platform_application(Name=name, Platform=platform, Attributes=wanted)
    return str(made["PlatformApplicationArn"])


def delete(arn: str, environ: Mapping[str, str]) -> None:
    sns = _client(environ)
    # Gone already is what was wanted (and moto fails a delete of an unknown one).
    if _existing(sns, arn) is not None:
        sns.delete_platform_application(PlatformApplicationArn=arn)


def main(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> int:
    if argv[:1] == ["create"]:
        print(create(environ))
        return 0
    if argv[:1] == ["delete"] and len(argv) == 2:
        delete(argv[1], environ)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
