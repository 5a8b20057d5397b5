"""The official Python `openai` and `anthropic` SDKs on /v1/responses and /v1/messages of a
running streamgate (python-sdks.test.ts runs it; it needs `pip install openai anthropic`):
    python3 src/http/test-support/python_sdks_check.py http://127.0.0.1:8003 [KEY]
Exits non-zero on the first failed check."""
import sys

import anthropic
import openai

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8003"
key = sys.argv[2] if len(sys.argv) > 2 else "unused"
oa = openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0)
an = anthropic.Anthropic(base_url=base, api_key=key, max_retries=0)

r = oa.responses.create(model="sim-reasoner", input="hello", extra_body={"sim": {"tokens_per_second": 0, "first_token_ms": 0}})
assert r.status == "completed" and r.output_text, r
assert [o.type for o in r.output] == ["reasoning", "message"], r.output
print("openai responses.create:", r.output_text[:40].replace("\n", " "), r.usage.total_tokens)

with oa.responses.stream(model="sim-chat", input="hello", extra_body={"sim": {"tokens_per_second": 0}}) as stream:
    deltas = "".join(e.delta for e in stream if e.type == "response.output_text.delta")
    final = stream.get_final_response()
assert final.output_text == deltas, (final.output_text, deltas)
print("openai responses.stream:", len(deltas), "chars")

bg = oa.responses.create(model="sim-chat", input="hello", background=True, extra_body={"sim": {"tokens_per_second": 200}})
events = list(oa.responses.retrieve(bg.id, stream=True, starting_after=3))
assert events[0].sequence_number == 4 and events[-1].type == "response.completed", events[:2]
print("openai background + resume after 3:", len(events), "events")

try:
    oa.responses.retrieve("resp_nope")
    raise SystemExit("expected NotFoundError")
except openai.NotFoundError:
    print("openai NotFoundError: ok")

m = an.messages.create(model="sim-reasoner", max_tokens=2000, messages=[{"role": "user", "content": "hello"}], extra_body={"sim": {"tokens_per_second": 0, "first_token_ms": 0}})
assert [b.type for b in m.content] == ["thinking", "text"], m.content
print("anthropic messages.create:", m.stop_reason, m.usage.output_tokens)

with an.messages.stream(model="sim-chat", max_tokens=200, messages=[{"role": "user", "content": "hello"}], extra_body={"sim": {"tokens_per_second": 0}}) as stream:
    text = "".join(stream.text_stream)
    fm = stream.get_final_message()
assert fm.content[0].text == text
print("anthropic messages.stream:", len(text), "chars,", fm.stop_reason)

print("anthropic count_tokens:", an.messages.count_tokens(model="sim-chat", messages=[{"role": "user", "content": "hello world"}]).input_tokens)
for bad, cls in (({"model": "nope", "max_tokens": 5}, anthropic.NotFoundError), ({"model": "sim-chat", "max_tokens": 0}, anthropic.BadRequestError)):
    try:
        an.messages.create(messages=[{"role": "user", "content": "x"}], **bad)
        raise SystemExit(f"expected {cls.__name__}")
    except cls as e:
        print(f"anthropic {cls.__name__}:", e.status_code)
print("all Python SDK checks passed")
