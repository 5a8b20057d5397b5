"""Reads streams with the official Python `openai` SDK, sync and async, and prints what it got.

Run by `src/http/sse-clients.test.ts`: argv[1] is JSON, a list of streams

    {"name": str, "base_url": str, "kind": "chat", "create": {...chat.completions.create kwargs}}
    {"name": str, "base_url": str, "kind": "get", "path": str, "params": {...}}

("get" reads any SSE endpoint through the SDK's own `Stream`, as `client.get(..., stream=True)`).
Every stream is read once with `OpenAI` and once with `AsyncOpenAI`, all at the same time;
stdout gets one JSON line per reading: {"name", "mode", "items": [...], "error": str | None}.
"""

import asyncio
import json
import sys
from concurrent.futures import ThreadPoolExecutor

import openai


def describe(err: BaseException) -> str:
    return f"{type(err).__module__}.{type(err).__name__}: {err}"


def for_mode(stream: dict, mode: str) -> dict:
    """The stream's definition with `{mode}` (in its tags) replaced by the mode's name."""
    return json.loads(json.dumps(stream).replace("{mode}", mode))


def read_sync(stream: dict) -> dict:
    stream = for_mode(stream, "sync")
    client = openai.OpenAI(base_url=stream["base_url"], api_key="test-key", max_retries=0, timeout=30)
    items: list = []
    error = None
    try:
        if stream["kind"] == "chat":
            for chunk in client.chat.completions.create(**stream["create"]):
                items.append(chunk.to_dict())
        else:
            response = client.get(
                stream["path"],
                cast_to=object,
                options={"params": stream["params"]},
                stream=True,
                stream_cls=openai.Stream[object],
            )
            for item in response:
                items.append(item)
    except Exception as err:  # reported, not raised: the test asserts on it
        error = describe(err)
    finally:
        client.close()
    return {"name": stream["name"], "mode": "sync", "items": items, "error": error}


async def read_async(stream: dict) -> dict:
    stream = for_mode(stream, "async")
    client = openai.AsyncOpenAI(base_url=stream["base_url"], api_key="test-key", max_retries=0, timeout=30)
    items: list = []
    error = None
    try:
        if stream["kind"] == "chat":
            async for chunk in await client.chat.completions.create(**stream["create"]):
                items.append(chunk.to_dict())
        else:
            response = await client.get(
                stream["path"],
                cast_to=object,
                options={"params": stream["params"]},
                stream=True,
                stream_cls=openai.AsyncStream[object],
            )
            async for item in response:
                items.append(item)
    except Exception as err:
        error = describe(err)
    finally:
        await client.close()
    return {"name": stream["name"], "mode": "async", "items": items, "error": error}


async def main() -> None:
    streams = json.loads(sys.argv[1])
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=max(1, len(streams))) as pool:
        sync_runs = [loop.run_in_executor(pool, read_sync, s) for s in streams]
        async_runs = [read_async(s) for s in streams]
        results = await asyncio.gather(*sync_runs, *async_runs)
    for result in results:
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
