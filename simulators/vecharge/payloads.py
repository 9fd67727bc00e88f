"""The wire payloads of the three server events, in the seed's exact shapes.

`chargerConnected` reproduces the seed's Mongoose document dump: internals under `$_` (copied
verbatim from the seed, only `_id` follows the charger), the fields under `_doc`, a top-level
`energy`. The flat form (fields at top level) is the other plausible serializer.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

type JSONObject = dict[str, Any]

# The seed's `$_` block with `"_id":"test"`; parsed once, copied per document.
_MONGOOSE_INTERNALS_TEXT = (
    '{"strictMode":true,"selected":{"certificate":0,"privateKey":0,"regularPrice":0,"spec'
    'ialPrice":0,"specialUsers":0},"getters":{},"_id":"test","wasPopulated":false,"active'
    'Paths":{"paths":{"regularPrice":"require","_id":"init","privateKey":"require","certi'
    'ficate":"require","status":"init","location.type":"init","power":"init","voltage":"i'
    'nit","current":"init","energy":"init","prev_energy":"init","currentUser":"init","isA'
    'ctive":"init","partnerId":"init","desiredDgStatus":"init","reportedDgStatus":"init",'
    '"chargerMode":"init","chargerPrivateUsers":"init","location.coordinates":"init","det'
    'ail":"init","operator":"init","address":"init","v":"init","wifiConnectivity":"init",'
    '"connectedTimestamp":"init"},"states":{"ignore":{},"default":{},"init":{"_id":true,"'
    'location.type":true,"location.coordinates":true,"status":true,"power":true,"voltage"'
    ':true,"current":true,"energy":true,"prev_energy":true,"currentUser":true,"isActive":'
    'true,"partnerId":true,"detail":true,"operator":true,"address":true,"v":true,"wifiCon'
    'nectivity":true,"connectedTimestamp":true,"desiredDgStatus":true,"reportedDgStatus":'
    'true,"chargerMode":true,"chargerPrivateUsers":true},"modify":{},"require":{"regularP'
    'rice":true,"privateKey":true,"certificate":true}},"stateNames":["require","modify","'
    'init","default","ignore"]},"pathsToScopes":{},"cachedRequired":{},"session":null,"$s'
    'etCalled":{},"emitter":{"_events":{},"_eventsCount":0,"_maxListeners":0},"$options":'
    '{"skipId":true,"isNew":false,"willInit":true,"defaults":true}}'
)
_MONGOOSE_INTERNALS: JSONObject = json.loads(_MONGOOSE_INTERNALS_TEXT)


def timestamp(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds and a Z, as JavaScript's Date.toISOString writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def two_decimals(value: float) -> str:
    """A number the way newLog carries it: a string with two decimals ("230.00")."""
    return f"{value:.2f}"


def mongoose_document(doc: JSONObject) -> JSONObject:
    """Wrap `doc` (the `_doc` fields) the way the seed's server serialized it."""
    internals = copy.deepcopy(_MONGOOSE_INTERNALS)
    internals["_id"] = doc["_id"]
    return {
        "$_": internals,
        "isNew": False,
        "$locals": {},
        "$op": None,
        "_doc": doc,
        "$init": True,
        "energy": doc["energy"],
    }


def encode(payload: Any, *, as_json_string: bool) -> Any:
    """JSON text (the seed: double-encoded on the wire) or the object itself."""
    if as_json_string:
        return json.dumps(payload, separators=(",", ":"))
    return payload
