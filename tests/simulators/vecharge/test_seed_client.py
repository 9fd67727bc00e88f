"""The seed's own example client, run unmodified (only the server URL adapted) against the
simulator in a subprocess, as a user following the README would run it."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING

import aiohttp

from .helpers import CHARGER_ID, TOKEN, WAIT

if TYPE_CHECKING:
    from pathlib import Path

    from simulators.vecharge import VeChargeSimulator

# The seed's "Usage" block verbatim (python-socketio, sync client); the placeholders hold the
# test scenario's token and charger id, and the URL is the simulator's instead of
# https://library.vecharge.app (taken from argv, since the port is picked at random).
SEED_CLIENT = """
import sys
import socketio

sio = socketio.Client()


#put your Token below and make sure you keep the "Bearer " as it is.
token = 'Bearer test-token'

#put your charger Id here
chargerId = 'test'


#( In @sio.event, the name of function must be always same as name of event we are listening )

#on connection this event is fired
@sio.event
def connect():
    print('Connection established')

#Charger connected event
@sio.event
def chargerConnected(data):
    print('Status Changed  ', data)

#status changed event
@sio.event
def statusChanged(data):
    print('Status Changed  ', data)

#"newLog" event
@sio.event
def newLog(data):
    print('Log : '+data)

@sio.event
def disconnect():
    print('Disconnected from server')

sio.connect(sys.argv[1] + '?token='+token+'&chargerId='+chargerId )
sio.wait()
"""


class Output:
    """The subprocess's stdout as one growing text. The sync client runs each handler in a
    thread of its own, so two prints can interleave: match pieces, not whole lines."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        self._stdout = process.stdout
        self.text = ""
        self._seen = 0

    async def expect(self, piece: str) -> None:
        """Wait until `piece` appears after the previous match."""
        async with asyncio.timeout(WAIT):
            while (found := self.text.find(piece, self._seen)) < 0:
                chunk = await self._stdout.read(65536)
                assert chunk, f"the client exited before printing {piece!r}: {self.text!r}"
                self.text += chunk.decode()
        self._seen = found + len(piece)


async def _patch(sim: VeChargeSimulator, status: str) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.patch(
            sim.url + "/api/v1/charger/chargerDesiredState",
            json={"status": status, "chargerId": CHARGER_ID},
            headers={"Authorization": f"Bearer {TOKEN}"},
        ) as response,
    ):
        assert response.status == 200


async def test_the_seed_client_sees_the_whole_session(
    vecharge_sim: VeChargeSimulator, tmp_path: Path
) -> None:
    script = tmp_path / "seed_client.py"
    script.write_text(SEED_CLIENT, encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-u", str(script), vecharge_sim.url, stdout=asyncio.subprocess.PIPE
    )
    output = Output(process)
    try:
        await output.expect("Connection established")
        await output.expect('"_doc":{"location"')  # the chargerConnected document
        await output.expect('"_id":"test"')

        await _patch(vecharge_sim, "ON")
        await output.expect('{"status":"ON"}')
        await vecharge_sim.clock.advance(5)
        # 'Log : ' + data only works because data is a str (the double-encoded payload).
        await output.expect('Log : {"deviceId":"veChargePoint0125896","voltage":"230.00"')

        await _patch(vecharge_sim, "OFF")
        await output.expect('{"status":"OFF"}')
        await output.expect("Disconnected from server")
        try:
            async with asyncio.timeout(WAIT):
                returncode = await process.wait()
        except TimeoutError:
            output.text += (await process.stdout.read(65536)).decode()  # type: ignore[union-attr]
            raise AssertionError(output.text[-600:]) from None
        assert returncode == 0  # sio.wait() returned: no reconnection
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    # The seed's URL carries a raw space; the HTTP library encodes it on the wire.
    assert vecharge_sim.stats.handshake_queries[0].startswith(
        f"token=Bearer%20{TOKEN}&chargerId={CHARGER_ID}&"
    )
    # Without websocket-client (the seed installs only python-socketio and requests) the sync
    # client stays on long-polling; with it, it would try the upgrade (doc section 6.1).
    assert vecharge_sim.stats.websocket_upgrades == 0
    assert vecharge_sim.stats.connection_attempts == 1
