"""``ecobid serve --backend moto``: the AWS adapters against an embedded moto server.

The server runs in this process; ``provision`` creates the table, bucket, bus and user
pool in it, and the container's ``aws`` family is pointed at it. Two things a deployed
stage has are stood in for here: committed events go to the consumers in-process (there
is no stream relay), and ``/_dev/token`` signs users up and in on the moto pool.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from typing import Any

from attrs import evolve
from dependency_injector import providers

from ecobid_adapters.aws.provision import ResourceNames, provision, settings_for
from ecobid_adapters.aws.settings import AwsSettings, clients
from ecobid_entrypoints.container import Container, build_container, deliver_in_process
from ecobid_entrypoints.local.cognito_sign_in import CognitoDevSignIn

REGION = "eu-central-1"
# moto checks no signature, but botocore will not send a request without credentials.
_FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "moto",
    "AWS_SECRET_ACCESS_KEY": "moto",
}


def stop_tracking_moto_models() -> bool:
    """Keep moto from holding on to every model object it ever made; True if it did.

    moto's ``BaseModel.__new__`` appends each instance to a per-class list (for its
    dashboard) that nothing ever empties, and its ``TransactWriteItems`` deep-copies the
    whole table, items and stream records included, once per write of the transaction,
    to restore on cancellation. Every copy stayed reachable through those lists, so the
    memory grew with the square of the table: 700 items created through the API held
    7.9 GB. Creating objects untracked (moto's dashboard, which we never use, then lists
    none) lets the copies go as soon as a transaction ends.
    """
    try:
        from moto.core.common_models import BaseModel
    except ImportError:  # pragma: no cover - moto reorganised: nothing to undo
        return False

    def untracked(cls: type, *_args: Any, **_kwargs: Any) -> Any:
        # What moto's own ``__new__`` does, less the append.
        return super(BaseModel, cls).__new__(cls)  # type: ignore[misc]

    # Replaces moto's tracking ``__new__`` for every model class, those moto has not
    # imported yet included (it loads a service's models on its first request).
    BaseModel.__new__ = staticmethod(untracked)  # type: ignore[method-assign]
    return True


class OneRequestAtATime:
    """A WSGI app that lets moto answer one request at a time, whoever sends it.

    moto's backends are not thread-safe: on a busy machine a TransactWriteItems failed
    copying its table ("dictionary changed size during iteration") while another client
    of the same server wrote to it, and the 500 went back to the caller; and a cancelled
    transaction restores a copy of the whole table taken before it started, undoing what
    concurrent requests committed meanwhile. DynamoDB applies each request atomically;
    one lock around the whole app gives moto that for every client of the server.
    Read-modify-write attempts (one request each) still interleave freely.
    """

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self._lock:
            # The body is read inside the lock too: moto may build it lazily.
            body = self._app(environ, start_response)
            try:
                return list(body)
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()


class MotoServer:
    """An embedded moto server on a free port (or the one given)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        from moto.server import ThreadedMotoServer  # the local extra; not needed in Lambda

        stop_tracking_moto_models()
        for name, value in _FAKE_CREDENTIALS.items():
            os.environ.setdefault(name, value)
        # One access line per AWS call would drown the API's own log.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)

    def start(self) -> MotoServer:
        self._server.start()
        wsgi = self._server._server  # moto keeps its werkzeug server here
        if wsgi is None or not callable(getattr(wsgi, "app", None)):
            raise RuntimeError("moto's server changed shape: cannot serialise its requests")
        wsgi.app = OneRequestAtATime(wsgi.app)
        return self

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.stop()


def provision_moto(endpoint_url: str, env: str = "local") -> AwsSettings:
    """Create EcoBid's resources on the moto server at ``endpoint_url``."""
    return settings_for(provision(endpoint_url, REGION, ResourceNames.for_env(env)))


def moto_container(settings: AwsSettings, hold_hours: float = 24.0) -> Container:
    """The ``aws`` container on provisioned moto resources, with the local stand-ins."""
    settings = with_push_applications(settings)
    container = build_container("aws", hold_hours=hold_hours, aws_settings=settings)
    clients = container.aws_clients()
    container.dev_sign_in.override(
        providers.Object(
            CognitoDevSignIn(
                clients.cognito,
                settings.user_pool_id,
                settings.client_id,
                verify=container.tokens().verify,
            )
        )
    )
    # moto has no Rekognition DetectModerationLabels: the local moderator stands in.
    container.moderator.override(container.moderator.providers["memory"])
    container.dev_pushes.override(providers.Object(MotoPushes(settings.region)))
    deliver_in_process(container)
    return container


def with_push_applications(settings: AwsSettings) -> AwsSettings:
    """Settings with an APNs and an FCM platform application made on moto's SNS."""
    if settings.apns_application_arn and settings.fcm_application_arn:
        return settings
    sns = clients(settings).sns
    made = {
        attribute: sns.create_platform_application(
            Name=f"ecobid-local-{platform.lower()}",
            Platform=platform,
            Attributes={"PlatformCredential": "local-stand-in", "PlatformPrincipal": "local"},
        )["PlatformApplicationArn"]
        for attribute, platform in (
            ("apns_application_arn", "APNS"),
            ("fcm_application_arn", "GCM"),
        )
    }
    return evolve(settings, **made)


class MotoPushes:
    """What was published to moto's platform endpoints, for ``GET /_dev/pushes``.

    moto keeps each endpoint's messages in its in-process backend; the endpoint's custom
    user data says whose device it is (``<user id>/<device id>``).
    """

    def __init__(self, region: str) -> None:
        self._region = region

    def recorded(self) -> list[dict[str, Any]]:
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.sns.models import sns_backends

        backend = sns_backends[DEFAULT_ACCOUNT_ID][self._region]
        found = []
        for endpoint in list(backend.platform_endpoints.values()):
            user_id, _, device_id = endpoint.custom_user_data.partition("/")
            platform = "ios" if endpoint.application.platform.startswith("APNS") else "android"
            for text in list(endpoint.messages.values()):
                message = json.loads(text)
                gcm = json.loads(message["GCM"])
                found.append(
                    {
                        "userId": user_id,
                        "deviceId": device_id,
                        "platform": platform,
                        "title": gcm["notification"]["title"],
                        "body": gcm["notification"]["body"],
                        "data": gcm["data"],
                    }
                )
        return found
