/**
 * A fake OpenAI-compatible upstream for the benchmark: `POST /s/<tokens>/<delayMs>/v1/chat/completions`
 * streams `tokens` chat chunks, `delayMs` apart (0 = as fast as the socket takes them).
 * The scenario lives in the path, so the direct client, the pass-through and streamgate's
 * config (`baseURL: http://host/s/200/0/v1`) all ask for the same stream. Every chunk is
 * prebuilt: the upstream should cost as little as possible, whoever is in front of it.
 * `/s/<tokens>/<delayMs>/cut/v1/chat/completions` drops the connection after the tokens,
 * before the finish chunk and `[DONE]` (the benchmark's own tests fail a stream with it).
 * Run as its own process (prints `{"port": N}` on stdout), or `createFakeUpstream()` in one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const WORDS = [' The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', ' and', ' keeps', ' on', ' running', ' far', ' away', '.'];
const HEAD = '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":';
const chunk = (delta: string, finish = 'null') => `data: ${HEAD}${delta},"logprobs":null,"finish_reason":${finish}}]}\n\n`;
const ROLE = chunk('{"role":"assistant","content":""}');
const TOKENS = WORDS.map((w) => chunk(`{"content":${JSON.stringify(w)}}`));
const FINISH = chunk('{}', '"stop"');
const usage = (n: number) =>
  `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":${n},"total_tokens":${12 + n}}}\n\n`;
const DONE = 'data: [DONE]\n\n';
const SCENARIO = /^\/s\/(\d+)\/(\d+)(\/cut)?\/v1\/chat\/completions$/;

export function createFakeUpstream(): Server {
  return createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    const match = SCENARIO.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no such scenario"}}');
      return;
    }
    readBody(req).then(
      (body) => stream(res, { tokens: Number(match[1]), delayMs: Number(match[2]), cut: match[3] !== undefined, includeUsage: body.includes('"include_usage":true') }),
      () => res.destroy(),
    );
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (s: string) => (body += s));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

interface Scenario {
  tokens: number;
  delayMs: number;
  cut: boolean;
  includeUsage: boolean;
}

async function stream(res: ServerResponse, scenario: Scenario): Promise<void> {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  try {
    // The role chunk and the first token leave together, as a fast model sends them.
    res.write(ROLE);
    for (let i = 0; i < scenario.tokens; i++) {
      if (i > 0 && scenario.delayMs > 0) await sleep(scenario.delayMs, undefined, { signal: controller.signal });
      else if (i % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
      if (controller.signal.aborted) return;
      if (!res.write(TOKENS[i % TOKENS.length] as string)) await new Promise((resolve) => res.once('drain', resolve));
    }
    if (scenario.cut) {
      // Once what was written has left: the client has the chunks, then the connection drops.
      res.write('', () => res.destroy());
      return;
    }
    res.end(FINISH + (scenario.includeUsage ? usage(scenario.tokens) : '') + DONE);
  } catch {
    // The client left: nothing to finish.
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = createFakeUpstream();
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}
