"""VALIDATE_API_TOKEN (HA, §1.3) and VALIDATE_PASSWORD (app, §2.2): the commands without auth."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulators.bluecurrent.payload import is_sjcl_envelope

if TYPE_CHECKING:
    from simulators.bluecurrent.protocol import JSONObject
    from simulators.bluecurrent.transport import Connection

    from .context import ServerContext


async def validate_api_token(ctx: ServerContext, conn: Connection, payload: JSONObject) -> None:
    """STATUS_API_TOKEN with the account's auth token, or success false."""
    failure = ctx.faults.take_failure("VALIDATE_API_TOKEN")
    if failure is not None and failure.stage == "none":
        return
    token = payload.get("token")
    account = ctx.accounts.for_api_token(token) if isinstance(token, str) else None
    if failure is not None or account is None or account.revoked:
        error = failure.error if failure is not None else ctx.options.invalid_token_error
        await ctx.transport.reply(
            conn, {"object": "STATUS_API_TOKEN", "success": False, "error": error}
        )
        return
    await ctx.transport.reply(
        conn,
        {
            "object": "STATUS_API_TOKEN",
            "success": True,
            "token": ctx.accounts.issue_auth_token(account),
            "customer_id": account.spec.customer_id,
        },
    )


async def validate_password(ctx: ServerContext, conn: Connection, payload: JSONObject) -> None:
    """STATUS_PASSWORD: accepted with a token for a known login, else not accepted."""
    # the SJCL envelope is not decrypted: any well-formed one (or, with password_check
    # "non_empty", any non-empty string) of a known login is accepted
    username = payload.get("username")
    password = payload.get("password")
    account = None
    if isinstance(username, str) and isinstance(password, str) and password:
        check = ctx.options.password_check
        well_formed = check == "non_empty" or is_sjcl_envelope(password)
        account = ctx.accounts.for_login(username) if well_formed else None
    if account is None:
        await ctx.transport.reply(conn, {"object": "STATUS_PASSWORD", "accepted": False})
        return
    token = ctx.accounts.issue_auth_token(account)
    await ctx.transport.reply(conn, {"object": "STATUS_PASSWORD", "accepted": True, "token": token})
