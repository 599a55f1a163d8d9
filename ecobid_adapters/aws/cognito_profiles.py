"""Keeps the Cognito user's custom attributes in step with the EcoBid profile.

The profile in DynamoDB is the source of truth; ``custom:location`` and ``custom:rating``
are copies, so that they ride along in ID tokens for clients that want them. They are
written with admin calls only: the app client may not write them (see ``provision``),
otherwise users could award themselves a rating.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ecobid_adapters.aws.failures import error_code, unavailable_when_transient
from ecobid_core.model.user import RatingSummary
from ecobid_core.model.values import Location

LOCATION_ATTRIBUTE = "custom:location"
RATING_ATTRIBUTE = "custom:rating"


def location_value(location: Location) -> str:
    # Six decimals is about 10 cm: all the precision a phone's position has.
    return f"{location.lat:.6f},{location.lon:.6f}"


def rating_value(rating: RatingSummary) -> str:
    # "0/0" before the first rating, as before: the count says there is no average yet.
    average = rating.average if rating.average is not None else 0.0
    return f"{round(average, 2):g}/{rating.count}"


class CognitoProfileSync:
    def __init__(self, client: Any, pool_id: str) -> None:
        self._cognito = client
        self._pool_id = pool_id

    def sync(self, username: str, location: Location | None, rating: RatingSummary) -> None:
        """Copy location and rating to the user; ``username`` may be the ``sub`` or email.

        Raises ``KeyError`` when the pool has no such user.
        """
        with unavailable_when_transient("the user pool"):
            try:
                self._cognito.admin_update_user_attributes(
                    UserPoolId=self._pool_id,
                    Username=username,
                    UserAttributes=[
                        {"Name": RATING_ATTRIBUTE, "Value": rating_value(rating)},
                        *(
                            [{"Name": LOCATION_ATTRIBUTE, "Value": location_value(location)}]
                            if location is not None
                            else []
                        ),
                    ],
                )
                if location is None:
                    self._cognito.admin_delete_user_attributes(
                        UserPoolId=self._pool_id,
                        Username=username,
                        UserAttributeNames=[LOCATION_ATTRIBUTE],
                    )
            except ClientError as error:
                if error_code(error) == "UserNotFoundException":
                    raise KeyError(username) from None
                raise
