// The socket-free cores of the RPC load generator and upstream, so tests can drive them with
// chunks cut anywhere: a latency histogram of bounded size, one connection's pipeline of
// requests in flight (ids, send times, the ring of pre-encoded frames) and the upstream's
// responder (frames in, one buffer of answers out).
import { FrameSplitter } from "./rpc-frames.mjs";

const SUB = 128; // sub-buckets per power of two above 2*SUB: under 0.8% relative error
const LINEAR = 2 * SUB; // values below this (µs) have a bucket each
const TOP = LINEAR + 22 * SUB + (SUB - 1); // the bucket of 2^31 - 1 µs (36 minutes), where longer ones go too
const BUCKETS = TOP + 1;

/**
 * Latencies in microseconds, in log-linear buckets (a fixed 3,200 counters whatever the count):
 * exact below 256 µs, within 0.8% above.
 */
export class LatencyHistogram {
  constructor() {
    this.counts = new Float64Array(BUCKETS);
    this.count = 0;
    this.maxUs = 0;
  }

  static index(us) {
    const v = us < 0 ? 0 : us >= 0x7fffffff ? 0x7fffffff : Math.floor(us);
    if (v < LINEAR) return v;
    const shift = 31 - Math.clz32(v) - 7; // keeps the top 8 bits: SUB..2*SUB-1
    return LINEAR + (shift - 1) * SUB + ((v >>> shift) - SUB);
  }

  /** The middle of bucket i, in µs. */
  static value(i) {
    if (i < LINEAR) return i;
    const shift = Math.floor((i - LINEAR) / SUB) + 1;
    const low = (SUB + ((i - LINEAR) % SUB)) * 2 ** shift;
    return low + (2 ** shift - 1) / 2;
  }

  record(us) {
    this.counts[LatencyHistogram.index(us)]++;
    this.count++;
    if (us > this.maxUs) this.maxUs = us;
  }

  /** The value at quantile q (0..1) in µs, null when empty. */
  quantile(q) {
    if (this.count === 0) return null;
    const rank = Math.min(this.count, Math.max(1, Math.ceil(q * this.count)));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return i === TOP ? this.maxUs : Math.min(LatencyHistogram.value(i), this.maxUs);
    }
    return this.maxUs;
  }
}

/**
 * One connection's requests in flight. Requests are written from a ring of `inflight`
 * pre-encoded frames, the i-th send into frame i mod inflight with its id patched in: a ring
 * frame is rewritten only after the server answered a request sent after it, so its bytes have
 * left the process and the ring needs no copy and no allocation per request. Each request takes a
 * free slot; its id is idBase + generation * inflight + slot, so an answer finds its slot by
 * arithmetic and is matched only if that slot waits for exactly that id.
 */
export class Pipeline {
  constructor(codec, template, inflight, idBase, idRange) {
    this.codec = codec;
    this.n = inflight;
    this.frameLen = template.length;
    this.ring = Buffer.allocUnsafe(inflight * template.length);
    for (let i = 0; i < inflight; i++) template.copy(this.ring, i * template.length);
    this.ringPos = 0;
    this.idBase = idBase;
    this.generations = Math.max(1, Math.floor(idRange / inflight));
    this.slotId = new Float64Array(inflight);
    this.sentAt = new Float64Array(inflight);
    this.busy = new Uint8Array(inflight);
    this.gen = new Float64Array(inflight);
    this.free = new Int32Array(inflight);
    for (let i = 0; i < inflight; i++) this.free[i] = inflight - 1 - i;
    this.freeTop = inflight;
  }

  /** Requests in flight. */
  get outstanding() {
    return this.n - this.freeTop;
  }

  /**
   * Sends up to `k` new requests (as many as there are free slots), stamped `now`: write(buf) is
   * called once, or twice when the batch wraps around the ring. Returns how many were sent.
   */
  send(k, now, write) {
    if (k > this.freeTop) k = this.freeTop;
    if (k <= 0) return 0;
    const { ring, frameLen, n, codec } = this;
    const first = this.ringPos;
    for (let i = 0; i < k; i++) {
      const s = this.free[--this.freeTop];
      const g = this.gen[s];
      this.gen[s] = g + 1 === this.generations ? 0 : g + 1;
      const id = this.idBase + g * n + s;
      this.slotId[s] = id;
      this.sentAt[s] = now;
      this.busy[s] = 1;
      codec.writeId(ring, this.ringPos * frameLen, id);
      if (++this.ringPos === n) this.ringPos = 0;
    }
    if (first + k <= n) write(ring.subarray(first * frameLen, (first + k) * frameLen));
    else {
      write(ring.subarray(first * frameLen));
      write(ring.subarray(0, (first + k - n) * frameLen));
    }
    return k;
  }

  /**
   * Matches the response at buf[off] to its request: returns the time since it was sent, or -1
   * when no request in flight has its id (a stray or misrouted answer). Frees the slot.
   */
  complete(buf, off, now) {
    const id = this.codec.readId(buf, off);
    const rel = id - this.idBase;
    if (!(rel >= 0 && rel < this.generations * this.n)) return -1;
    const s = rel % this.n;
    if (this.busy[s] === 0 || this.slotId[s] !== id) return -1;
    this.busy[s] = 0;
    this.free[this.freeTop++] = s;
    return now - this.sentAt[s];
  }

  /** When the oldest request in flight was sent, or Infinity when none is. */
  oldestSentAt() {
    let t = Infinity;
    for (let s = 0; s < this.n; s++) if (this.busy[s] === 1 && this.sentAt[s] < t) t = this.sentAt[s];
    return t;
  }
}

/**
 * The upstream's side of one connection: answer(chunk) parses the request frames in it (with any
 * held from earlier chunks) and returns one buffer holding a pre-encoded answer for each, the
 * request's id copied in, or null when there is nothing to answer yet; false when the bytes are
 * not the protocol. Heartbeats get a heartbeat answer; oneway requests none.
 */
export class Responder {
  constructor(codec, response = codec.response(), heartbeatResponse = codec.heartbeatResponse()) {
    this.codec = codec;
    this.response = response;
    this.heartbeatResponse = heartbeatResponse;
    this.stats = { requests: 0, heartbeats: 0, oneway: 0, unexpected: 0 };
    this.ids = new Float64Array(64);
    this.beats = new Uint8Array(64);
    this.count = 0;
    this.bytes = 0;
    this.splitter = new FrameSplitter(codec, (b, o) => this.frame(b, o));
  }

  frame(b, o) {
    const c = this.codec;
    if (!c.isRequest(b, o)) {
      this.stats.unexpected++;
      return;
    }
    if (!c.isTwoWay(b, o)) {
      this.stats.oneway++;
      return;
    }
    const beat = c.isHeartbeat(b, o);
    if (this.count === this.ids.length) {
      const ids = new Float64Array(this.count * 2);
      ids.set(this.ids);
      this.ids = ids;
      const beats = new Uint8Array(this.count * 2);
      beats.set(this.beats);
      this.beats = beats;
    }
    this.ids[this.count] = c.readId(b, o);
    this.beats[this.count++] = beat ? 1 : 0;
    if (beat) {
      this.stats.heartbeats++;
      this.bytes += this.heartbeatResponse.length;
    } else {
      this.stats.requests++;
      this.bytes += this.response.length;
    }
  }

  answer(chunk) {
    this.count = 0;
    this.bytes = 0;
    if (!this.splitter.feed(chunk)) return false;
    if (this.count === 0) return null;
    const out = Buffer.allocUnsafe(this.bytes);
    let at = 0;
    for (let i = 0; i < this.count; i++) {
      const tpl = this.beats[i] === 1 ? this.heartbeatResponse : this.response;
      tpl.copy(out, at);
      this.codec.writeId(out, at, this.ids[i]);
      at += tpl.length;
    }
    return out;
  }
}
