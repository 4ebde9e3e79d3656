/** A place in the config that names a cluster, checked once every cluster has been read. */
export interface ClusterRef {
  readonly path: string;
  readonly cluster: string;
}

/**
 * What the readers of one config file share: the warnings so far and the cluster references to
 * check at the end. Filters parse before clusters are known (MOSN files list servers first), so
 * a reference is recorded here rather than checked on the spot.
 */
export class ConfigContext {
  readonly warnings: string[] = [];
  readonly clusterRefs: ClusterRef[] = [];

  /** Records a one-line warning about the field at `path`; loading continues. */
  warn(path: string, message: string): void {
    this.warnings.push(path === "" ? message : `${path}: ${message}`);
  }

  /** Records that the string at `path` must name a configured cluster. */
  referenceCluster(path: string, cluster: string): void {
    this.clusterRefs.push({ path, cluster });
  }
}

/** `base.key`, or `key` at the top level. */
export function fieldPath(base: string, key: string): string {
  return base === "" ? key : `${base}.${key}`;
}

/** `base[index]`. */
export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}
