// Memory per idle connection: N clients connect through a fresh target to an upstream that
// accepts and holds (no data either way); the target tree's RSS before and after gives KiB per
// proxied connection. Clients and the holding upstream live in the bench process (load side).
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { briefError } from "./log.mjs";
import { HOST } from "./ports.mjs";
import { treeRssKiB } from "./proc-tree.mjs";

const BATCH = 100;
const CONNECT_TIMEOUT_MS = 5000;
const SETTLE_MS = 1000;

function connectOne(port, clients) {
  return new Promise((resolve) => {
    const s = net.connect({ host: HOST, port });
    clients.push(s);
    const timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS);
    s.on("error", () => {});
    s.once("connect", () => {
      clearTimeout(timer);
      resolve(true);
    });
    s.once("close", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

async function waitUntil(cond, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await sleep(100);
}

/** Opens n idle connections through `target` and returns one row (KiB per connection, RSS before/with/after). */
export async function idleMemory(ctx, target, n) {
  const row = { target: target.name, connections: n, ok: false };
  const held = new Set();
  const up = net.createServer((s) => {
    held.add(s);
    s.on("error", () => {});
    s.on("close", () => held.delete(s));
  });
  await new Promise((resolve, reject) => {
    up.once("error", reject);
    up.listen({ host: HOST, port: 0, backlog: 4096 }, resolve);
  });
  const clients = [];
  let proxy = null;
  try {
    proxy = await target.start(ctx, up.address().port);
    await sleep(SETTLE_MS);
    const pid = proxy.proc.pid;
    row.rssBeforeKiB = treeRssKiB(pid);
    let failed = 0;
    for (let i = 0; i < n; i += BATCH) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + BATCH); j++) batch.push(connectOne(proxy.port, clients));
      failed += (await Promise.all(batch)).filter((ok) => !ok).length;
    }
    await waitUntil(() => held.size >= n, 10_000);
    row.clientFailures = failed;
    row.upstreamAccepted = held.size;
    await sleep(SETTLE_MS);
    row.rssWithConnsKiB = treeRssKiB(pid);
    row.clientsStillOpen = clients.filter((s) => !s.destroyed && s.readyState === "open").length;
    row.kibPerConn = (row.rssWithConnsKiB - row.rssBeforeKiB) / n;
    for (const s of clients) s.destroy();
    await waitUntil(() => held.size === 0, 5000);
    row.upstreamStillOpenAfterClose = held.size;
    await sleep(SETTLE_MS);
    row.rssAfterCloseKiB = treeRssKiB(pid);
    if (row.rssBeforeKiB === null || row.rssWithConnsKiB === null || row.rssAfterCloseKiB === null) {
      throw new Error("proxy process gone");
    }
    row.ok = true;
  } catch (err) {
    row.error = briefError(err.message);
    row.errorDetail = err.message;
  } finally {
    for (const s of clients) s.destroy();
    for (const s of held) s.destroy();
    await new Promise((r) => up.close(() => r()));
    if (proxy) await proxy.proc.stop();
  }
  return row;
}
