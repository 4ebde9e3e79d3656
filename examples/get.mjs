#!/usr/bin/env node
// Fetches a URL and prints the response body, for machines without curl:
//   node examples/get.mjs [url]        (default http://127.0.0.1:2045/, the quickstart's HTTP proxy)
// Exits 1 with the reason when the request fails, 2 when the status is not 2xx.
const url = process.argv[2] ?? "http://127.0.0.1:2045/";
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  process.stdout.write(await res.text());
  if (!res.ok) {
    process.stderr.write(`get: ${res.status} ${res.statusText}\n`);
    process.exitCode = 2;
  }
} catch (err) {
  process.stderr.write(`get: ${url}: ${err.cause?.message ?? err.message} (is \`npm start\` running?)\n`);
  process.exitCode = 1;
}
