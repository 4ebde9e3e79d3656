/** A number the hot path bumps in place (`c.value++`); no lookup per event. */
export interface Metric {
  readonly name: string;
  readonly kind: "counter" | "gauge";
  value: number;
}

/**
 * The process's stats, named as Envoy/MOSN name them (`downstream_cx_total`). Metrics are made
 * at setup time and kept as references, so reading a name never happens per byte or per request.
 */
export class Stats {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string): Metric {
    return this.get(name, "counter");
  }

  gauge(name: string): Metric {
    return this.get(name, "gauge");
  }

  /** Every metric's current value, sorted by name. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of [...this.metrics.keys()].sort()) out[name] = this.metrics.get(name)!.value;
    return out;
  }

  private get(name: string, kind: Metric["kind"]): Metric {
    let m = this.metrics.get(name);
    if (!m) {
      m = { name, kind, value: 0 };
      this.metrics.set(name, m);
    } else if (m.kind !== kind) {
      throw new Error(`stat ${name} is a ${m.kind}, not a ${kind}`);
    }
    return m;
  }
}
